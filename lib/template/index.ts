export { parseGoTemplate, renderGoTemplate, type GoTemplate, type RenderOptions } from './go-template.ts';
export { htmlEscapeString, queryEscape } from './go-funcs.ts';
