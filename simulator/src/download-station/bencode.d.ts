// bencode 4 ships no type declarations: the part of its API the simulator uses.
declare module 'bencode' {
  const bencode: {
    decode(data: Uint8Array): unknown;
    encode(value: unknown): Uint8Array;
  };
  export default bencode;
}
