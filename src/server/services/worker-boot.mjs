// Worker entry when the server runs from TypeScript sources (node --import tsx): worker threads do
// not inherit tsx's loader, so this plain module registers it and then loads the real worker,
// whose file name (beside this one) is the worker's last argv entry.
import { tsImport } from 'tsx/esm/api';

await tsImport(`./${process.argv.at(-1)}`, import.meta.url);
