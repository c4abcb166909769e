// @types/node 20 does not declare the WebAssembly global that Node provides;
// this is the small part of it that src/policy uses (the DOM lib would bring
// in far more than a server needs).
declare namespace WebAssembly {
  function validate(bytes: ArrayBufferView | ArrayBuffer): boolean;
  class Module {
    constructor(bytes: ArrayBufferView | ArrayBuffer);
  }
  class Instance {
    constructor(module: Module, imports: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  class Global {
    value: unknown;
  }
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
  }
}
