// Worker entry when the server runs from TypeScript sources (node --import tsx): worker threads do
// not inherit tsx's loader, so this plain module registers it and then loads the real worker.
import { tsImport } from 'tsx/esm/api';

await tsImport('./import-worker.ts', import.meta.url);
