// Every test process starts in English whatever the developer's locale: the tests read what commands print, and the
// language tests set the language they test themselves (`--lang`, or LANG in a child's environment).

delete process.env['LC_ALL'];
delete process.env['LC_MESSAGES'];
process.env['LANG'] = 'C.UTF-8';
