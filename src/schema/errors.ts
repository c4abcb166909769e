/** A repository schema that cannot be used: names the file it came from. */
export class SchemaLoadError extends Error {
  readonly source: string;
  constructor(source: string, reason: string) {
    super(`${source}: invalid JSON Schema: ${reason}`);
    this.name = "SchemaLoadError";
    this.source = source;
  }
}
