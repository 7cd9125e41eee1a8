// class-transformer ships its metadata storage (which class-validator-jsonschema reads for
// nested types) without types at its CommonJS path; the types live beside it.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
