// samlscope's version, from package.json: shown in the popup's footer and by `samlscope --version`.
import pkg from '../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
