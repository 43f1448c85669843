'use strict';
// The example flows (examples/*.json, Import > Examples): each node type of the package in one at least, readable
// and connected, and drawn without two nodes on top of each other.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ourDefinitions, boxes, overlaps } = require('./support/flow-layout');

const ROOT = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const files = fs
  .readdirSync(path.join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.json'))
  .sort();
const examples = files.map((file) => ({
  file,
  nodes: JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8')),
}));

describe('example flows', function () {
  const ours = ourDefinitions();

  it('every node type of package.json is registered by its HTML file', function () {
    assert.deepEqual(Object.keys(ours.defs).sort(), Object.keys(pkg['node-red'].nodes).sort());
  });

  it('every non-config node type of package.json is used by an example', function () {
    const used = new Set(examples.flatMap((e) => e.nodes.map((n) => n.type)));
    const nodeTypes = Object.keys(pkg['node-red'].nodes).filter(
      (type) => ours.defs[type].category !== 'config',
    );
    assert.ok(nodeTypes.length > 0);
    assert.deepEqual(
      nodeTypes.filter((type) => !used.has(type)),
      [],
      'node types without an example',
    );
  });

  for (const { file, nodes } of examples) {
    describe(file, function () {
      it('is a list of nodes on one tab of its own, each wire and config reference resolved', function () {
        assert.ok(Array.isArray(nodes));
        const tabs = nodes.filter((n) => n.type === 'tab');
        assert.equal(tabs.length, 1, 'one tab');
        const ids = new Set(nodes.map((n) => n.id));
        assert.equal(ids.size, nodes.length, 'unique ids');
        for (const node of nodes) {
          if (node.type === 'tab' || ours.defs[node.type]?.category === 'config') continue;
          assert.equal(node.z, tabs[0].id, `${node.type} ${node.id} is on the tab`);
          for (const target of (node.wires ?? []).flat()) assert.ok(ids.has(target), `wire to ${target}`);
          if (node.server !== undefined)
            assert.ok(ids.has(node.server), `${node.id}: its connection is in the file`);
          const outputs = ours.defs[node.type]?.outputs;
          if (typeof outputs === 'number')
            assert.equal(node.wires.length, outputs, `${node.type} ${node.id}: one wire list per output`);
        }
      });

      it('has no two nodes overlapping, and none off the left or top edge', function () {
        const drawn = boxes(nodes, ours);
        for (const b of drawn)
          assert.ok(b.x - b.w / 2 >= 0 && b.y - b.h / 2 >= 0, `"${b.label}" is on the canvas`);
        const found = overlaps(drawn).map(
          ([a, b]) =>
            `"${a.label}" (${a.x},${a.y} ${a.w}x${a.h}) and "${b.label}" (${b.x},${b.y} ${b.w}x${b.h})`,
        );
        assert.deepEqual(found, []);
      });
    });
  }

  it('share one definition of the demo connection', function () {
    const configs = new Map();
    for (const { file, nodes } of examples)
      for (const node of nodes.filter((n) => ours.defs[n.type]?.category === 'config')) {
        const seen = configs.get(node.id);
        if (seen) assert.deepEqual(node, seen.node, `${node.id} in ${file} and ${seen.file}`);
        else configs.set(node.id, { file, node });
      }
  });

  it('the layout check sees an overlap', function () {
    const flow = [
      { id: 'a', type: 'inject', name: 'a long name for an inject node', x: 200, y: 80, wires: [[]] },
      {
        id: 'b',
        type: 'synology-api',
        name: '',
        api: 'SYNO.API.Info',
        apiType: 'str',
        x: 350,
        y: 80,
        wires: [[]],
      },
      { id: 'c', type: 'debug', name: 'far away', x: 900, y: 80, wires: [] },
    ];
    assert.deepEqual(
      overlaps(boxes(flow, ours)).map(([a, b]) => [a.id, b.id]),
      [['a', 'b']],
    );
  });
});
