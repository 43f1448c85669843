/*
 * Editor helpers shared by the Synology nodes' edit dialogs: a NAS folder picker and autocompletes fed by the
 * config node's lookups (GET synology-dsm/<id>/browse|apis|download-destinations|cloudsync-connections). They ask
 * the DEPLOYED connection; nothing secret is sent or received. Served by Node-RED from this module's resources/
 * folder; each node's HTML loads it, so it defines itself once.
 */
(function () {
  'use strict';
  if (window.SynologyEditor) return;

  var NAMESPACE = '@synoflow/node-red-synology/synology-dsm:synology-dsm.';
  var CACHE_MS = 30000;
  var cache = {};

  function t(key, values) {
    return RED._(NAMESPACE + key, values);
  }

  /** The config node chosen in the dialog's Server field, or undefined. */
  function serverId(field) {
    var id = $(field || '#node-input-server').val();
    return id && id !== '_ADD_' ? id : undefined;
  }

  /** GET one lookup of the deployed config node; answers are cached for a short while. */
  function lookup(id, name, query) {
    var url = 'synology-dsm/' + encodeURIComponent(id) + '/' + name + (query ? '?' + $.param(query) : '');
    var hit = cache[url];
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.promise;
    var promise = new Promise(function (resolve, reject) {
      $.ajax({ url: url, method: 'GET', dataType: 'json', cache: false })
        .done(resolve)
        .fail(function (xhr) {
          delete cache[url];
          var body = xhr.responseJSON;
          reject(new Error((body && body.message) || 'HTTP ' + xhr.status));
        });
    });
    cache[url] = { at: Date.now(), promise: promise };
    return promise;
  }

  function matches(text, typed) {
    return text.toLowerCase().indexOf(typed.toLowerCase()) !== -1;
  }

  /** An autocomplete search function (value, done) over a lookup; failures just offer nothing. */
  function searchWith(options, collect) {
    return function (value, done) {
      var id = serverId(options.server);
      if (!id || /\{\{/.test(value)) return done([]);
      collect(id, value).then(
        function (items) {
          done(items.slice(0, 50));
        },
        function () {
          done([]);
        },
      );
    };
  }

  /** `/home/cam` → `{folder: '/home', prefix: 'cam'}`; share-relative `downloads/tv` the same under `/`. */
  function splitPath(value, relative) {
    var path = relative ? '/' + value.replace(/^\/+/, '') : value;
    if (path.charAt(0) !== '/') return undefined;
    var cut = path.lastIndexOf('/');
    return { folder: path.slice(0, cut) || '/', prefix: path.slice(cut + 1) };
  }

  function shown(path, relative) {
    return relative ? path.replace(/^\/+/, '') : path;
  }

  function pathCompletions(options) {
    return function (id, value) {
      var split = splitPath(value, options.relative);
      if (!split) return Promise.resolve([]);
      return lookup(id, 'browse', { path: split.folder, files: Boolean(options.files) }).then(function (res) {
        return res.entries
          .filter(function (e) {
            return e.name.toLowerCase().indexOf(split.prefix.toLowerCase()) === 0;
          })
          .map(function (e) {
            var path = shown(e.path, options.relative);
            return { value: path, label: path + (e.isdir ? '/' : '') };
          });
      });
    };
  }

  var STYLE =
    '.synology-picker{display:flex;flex-direction:column;padding:6px;box-sizing:border-box}' +
    '.synology-picker-path{font-family:monospace;padding:4px 2px;word-break:break-all}' +
    '.synology-picker-list{height:220px;overflow-y:auto;border:1px solid var(--red-ui-secondary-border-color,#ddd);' +
    'margin:4px 0}' +
    '.synology-picker-row{display:block;padding:3px 6px;cursor:pointer;white-space:nowrap;overflow:hidden;' +
    'text-overflow:ellipsis;color:var(--red-ui-primary-text-color,#555);text-decoration:none}' +
    '.synology-picker-row:hover,.synology-picker-row:focus{background:var(--red-ui-list-item-background-hover,#eee);' +
    'text-decoration:none}' +
    '.synology-picker-row i{width:18px}' +
    '.synology-picker-message{padding:6px;color:var(--red-ui-text-color-error,#c00)}' +
    '.synology-picker-note{padding:6px;color:var(--red-ui-secondary-text-color,#888)}' +
    '.synology-picker-footer{display:flex;justify-content:space-between;align-items:center;gap:6px}';

  function addStyle() {
    if (!document.getElementById('synology-editor-style')) {
      $('<style id="synology-editor-style"></style>').text(STYLE).appendTo(document.head);
    }
  }

  /**
   * Opens the folder picker under a typedInput. options: server (field of the config node id), files (files can be
   * picked too), relative (values without the leading `/`, as Download Station wants them).
   */
  function openPicker(input, options) {
    addStyle();
    var id = serverId(options.server);
    var content = $('<div class="synology-picker"></div>');
    var pathLine = $('<div class="synology-picker-path"></div>').appendTo(content);
    var list = $('<div class="synology-picker-list"></div>').appendTo(content);
    var footer = $('<div class="synology-picker-footer"></div>').appendTo(content);
    var note = $('<span class="synology-picker-note"></span>').appendTo(footer);
    var select = $('<button type="button" class="red-ui-button synology-picker-select"></button>')
      .text(t('picker.select'))
      .appendTo(footer);
    var panel = RED.popover.panel(content);
    var current = '/';

    function choose(path) {
      input.typedInput('value', shown(path, options.relative));
      input.trigger('change');
      panel.hide();
    }

    function row(icon, label, title) {
      return $('<a href="#" class="synology-picker-row"></a>')
        .attr('title', title || label)
        .append($('<i class="fa"></i>').addClass(icon))
        .append($('<span></span>').text(' ' + label))
        .appendTo(list);
    }

    /** Lists `path`; on failure lists `fallback` instead; `then` gets the listing shown. */
    function show(path, fallback, then) {
      list.empty();
      note.text('');
      pathLine.text(path);
      select.prop('disabled', true);
      $('<div class="synology-picker-note"></div>').text(t('picker.loading')).appendTo(list);
      lookup(id, 'browse', { path: path, files: Boolean(options.files) }).then(
        function (res) {
          current = res.path;
          list.empty();
          pathLine.text(res.path);
          // Shared folders themselves are not a destination for File Station writes, but can be read and are
          // Download Station's usual destination: any folder but `/` may be chosen.
          select.prop('disabled', res.path === '/');
          if (res.parent) {
            row('fa-level-up', '..', res.parent).on('click', function (e) {
              e.preventDefault();
              show(res.parent);
            });
          }
          res.entries.forEach(function (entry) {
            row(entry.isdir ? 'fa-folder' : 'fa-file-o', entry.name, entry.path).on('click', function (e) {
              e.preventDefault();
              if (entry.isdir) show(entry.path);
              else choose(entry.path);
            });
          });
          if (res.entries.length === 0) {
            $('<div class="synology-picker-note"></div>')
              .text(t(options.files ? 'picker.empty' : 'picker.noFolders'))
              .appendTo(list);
          }
          if (res.truncated) note.text(t('picker.truncated', { count: res.entries.length }));
          if (then) then(res);
        },
        function (err) {
          if (fallback) return show(fallback);
          list.empty();
          $('<div class="synology-picker-message"></div>').text(err.message).appendTo(list);
        },
      );
    }

    select.on('click', function (e) {
      e.preventDefault();
      choose(current);
    });

    // typedInput keeps the original input (hidden) just before its container.
    var anchor = input.next('.red-ui-typedInput-container');
    if (!anchor.length) anchor = input;
    content.css({ width: Math.max(320, anchor.outerWidth()) + 'px' });
    panel.show({ target: anchor, align: 'right' });

    if (!id) {
      list.empty();
      $('<div class="synology-picker-message"></div>').text(t('picker.noServer')).appendTo(list);
      return;
    }
    var value = String(input.typedInput('value') || '').trim();
    var start = value && !/\{\{/.test(value) ? splitPath(value, options.relative) : undefined;
    if (start) {
      // Open where the value is: list its folder, then enter the value if it names a folder there. A half-typed
      // name is thus never asked for (it would only fail).
      var whole = options.relative ? '/' + value.replace(/^\/+|\/+$/g, '') : value.replace(/\/+$/, '') || '/';
      show(start.folder, '/', function (res) {
        var folder = res.entries.filter(function (e) {
          return e.isdir && e.path === whole;
        })[0];
        if (folder) show(folder.path);
      });
    } else {
      show('/');
    }
  }

  /** A typedInput `str` type with an autocomplete and, when `picker` is set, the folder picker on its button. */
  function stringType(search, picker) {
    var type = {
      value: 'str',
      label: 'string',
      icon: 'red/images/typedInput/az.svg',
      autoComplete: search,
    };
    if (picker) {
      var expand = function () {
        openPicker(this.element, picker);
      };
      expand.icon = 'fa-folder-open';
      type.expand = expand;
    }
    return type;
  }

  window.SynologyEditor = {
    lookup: lookup,

    /** A typedInput type list with `str` replaced by one of the types below. */
    withString: function (types, stringType) {
      return types.map(function (type) {
        return type === 'str' ? stringType : type;
      });
    },

    /** A NAS path field: autocomplete from the folders, and the folder picker. */
    pathType: function (options) {
      options = options || {};
      return stringType(searchWith(options, pathCompletions(options)), options);
    },

    /** Download Station destination: the account's default and the shared folders, then deeper folders. */
    destinationType: function (options) {
      options = $.extend({ relative: true }, options);
      var deeper = pathCompletions(options);
      return stringType(
        searchWith(options, function (id, value) {
          if (value.replace(/^\/+/, '').indexOf('/') !== -1) return deeper(id, value);
          return lookup(id, 'download-destinations').then(function (res) {
            return res.destinations
              .filter(function (d) {
                return matches(d, value.replace(/^\/+/, ''));
              })
              .map(function (d) {
                var label = d === res.defaultDestination ? d + ' (' + t('picker.default') + ')' : d;
                return { value: d, label: label };
              });
          });
        }),
        options,
      );
    },

    /** Cloud Sync connection: names (and ids) of the NAS's connections. */
    connectionType: function (options) {
      options = options || {};
      return stringType(
        searchWith(options, function (id, value) {
          return lookup(id, 'cloudsync-connections').then(function (res) {
            var items = [{ value: 'all', label: 'all' }];
            res.connections.forEach(function (c) {
              items.push({
                value: c.name,
                label: c.name + ' · ' + c.displayName + ' · id ' + c.id + ' · ' + c.state,
              });
            });
            return items.filter(function (item) {
              return matches(item.label, value);
            });
          });
        }),
      );
    },

    /** API name: what the NAS's API.Info lists. */
    apiType: function (options) {
      options = options || {};
      return stringType(
        searchWith(options, function (id, value) {
          return lookup(id, 'apis').then(function (res) {
            return res.apis
              .filter(function (api) {
                return matches(api.name, value);
              })
              .map(function (api) {
                return { value: api.name, label: api.name + '  v' + api.minVersion + '-' + api.maxVersion };
              });
          });
        }),
      );
    },

    /** Method of the API named in `apiField`: the documented methods of that API. */
    methodType: function (options) {
      return stringType(
        searchWith(options, function (id, value) {
          var api =
            $(options.apiField).typedInput('type') === 'str' ? $(options.apiField).typedInput('value') : '';
          return lookup(id, 'apis').then(function (res) {
            var found = res.apis.filter(function (a) {
              return a.name === api;
            })[0];
            return (found ? found.methods : []).filter(function (m) {
              return matches(m, value);
            });
          });
        }),
      );
    },

    /** Version of the API named in `apiField`: auto, or one the NAS offers. */
    versionType: function (options) {
      return stringType(
        searchWith(options, function (id) {
          var api =
            $(options.apiField).typedInput('type') === 'str' ? $(options.apiField).typedInput('value') : '';
          return lookup(id, 'apis').then(function (res) {
            var found = res.apis.filter(function (a) {
              return a.name === api;
            })[0];
            var versions = ['auto'];
            for (var v = found ? found.maxVersion : 0; found && v >= found.minVersion; v--)
              versions.push(String(v));
            return versions;
          });
        }),
      );
    },
  };
})();
