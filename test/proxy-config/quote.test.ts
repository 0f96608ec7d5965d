// Quoting helpers: each config syntax gets back exactly the characters meant (expected strings written by hand).

import { describe, expect, it } from 'vitest';
import {
  apacheHeaderValue,
  apacheString,
  caddyPath,
  caddyToken,
  haproxyLogFormat,
  haproxyString,
  nginxPath,
  nginxString,
  shellQuote,
} from '../../src/proxy-config/quote.js';

describe('nginxString', () => {
  it('single-quotes, doubles backslashes, escapes quotes', () => {
    expect(nginxString('{"a":"x\\"y"}')).toBe(`'{"a":"x\\\\"y"}'`);
    expect(nginxString("it's")).toBe("'it\\'s'");
  });
  it('writes $ through the geo variable, since nginx has no escape for it', () => {
    expect(nginxString('$HOME ${x}')).toBe("'${matrix_delegation_dollar}HOME ${matrix_delegation_dollar}{x}'");
  });
  it('leaves other characters alone (#, ;, braces, non-ASCII)', () => {
    expect(nginxString('# ; { } ü')).toBe("'# ; { } ü'");
  });
  it('paths: bare when plain, quoted otherwise', () => {
    expect(nginxPath('/etc/ssl/a.pem')).toBe('/etc/ssl/a.pem');
    expect(nginxPath('/etc/my ssl/a.pem')).toBe("'/etc/my ssl/a.pem'");
  });
});

describe('caddyToken', () => {
  it('backtick-quotes and escapes every brace for the placeholder replacer', () => {
    expect(caddyToken('{"a":"{http.request.host}"}')).toBe('`\\{"a":"\\{http.request.host\\}"\\}`');
  });
  it('keeps backslashes as they are (nothing is escaped inside backticks)', () => {
    expect(caddyToken('a\\"b')).toBe('`a\\"b`');
  });
  it('refuses what a Caddyfile cannot carry: a backtick, or {$ (environment substitution before parsing)', () => {
    expect(caddyToken('a`b')).toBeNull();
    expect(caddyToken('{$HOME}')).toBeNull();
  });
  it('paths: plain, quoted with spaces, refused with braces or quotes', () => {
    expect(caddyPath('/a/b.pem')).toBe('/a/b.pem');
    expect(caddyPath('/a b/c.pem')).toBe('"/a b/c.pem"');
    expect(() => caddyPath('/a{b}/c.pem')).toThrow(/cannot be written/);
    expect(() => caddyPath('/a"b')).toThrow(/cannot be written/);
  });
});

describe('haproxyString', () => {
  it('single-quotes; a single quote closes, is escaped, and reopens', () => {
    expect(haproxyString("it's")).toBe("'it'\\''s'");
    expect(haproxyString('a\\b "c" $d #e')).toBe('\'a\\b "c" $d #e\'');
  });
  it('log-format values double % as well', () => {
    expect(haproxyLogFormat('100%')).toBe("'100%%'");
  });
});

describe('apacheString', () => {
  it('double-quotes and escapes backslash and quote', () => {
    expect(apacheString('a"b\\c')).toBe('"a\\"b\\\\c"');
  });
  it('refuses ${, which httpd replaces with a Define', () => {
    expect(() => apacheString('${APACHE_LOG_DIR}')).toThrow(/cannot be written/);
  });
  it('header values double % (mod_headers format specifiers)', () => {
    expect(apacheHeaderValue('50%')).toBe('"50%%"');
  });
});

describe('shellQuote', () => {
  it("closes, escapes and reopens around '", () => {
    expect(shellQuote(`{"a":"it's"}`)).toBe(`'{"a":"it'\\''s"}'`);
  });
});
