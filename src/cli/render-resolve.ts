// The resolve command's renderers: the resolution text and JSON now live in report/, shared with `check`.

export { resolveJson, resolveText } from '../report/resolution.js';
