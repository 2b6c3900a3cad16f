#!/usr/bin/env node
// Launcher. Node.js runs the TypeScript sources directly (type stripping). This file stays plain,
// old-style JavaScript so that any Node.js can read it and say which version is needed, instead
// of failing on the sources with a stack trace. Keep MINIMUM equal to `engines.node` in package.json.
var MINIMUM = '22.20.0';

function older(version, minimum) {
  var a = version.split('.');
  var b = minimum.split('.');
  for (var i = 0; i < 3; i++) {
    var x = Number(a[i]) || 0;
    var y = Number(b[i]) || 0;
    if (x !== y) return x < y;
  }
  return false;
}

if (older(process.versions.node, MINIMUM)) {
  process.stderr.write('icp-sync needs Node.js ' + MINIMUM + ' or newer (24 LTS recommended); this is Node.js ' + process.versions.node + '.\n');
  process.exitCode = 1;
} else {
  // A reader that stops early (`icp-sync validate | head -1`) closes the pipe: what is left to print
  // has nowhere to go, which is not an error of the command.
  process.stdout.on('error', function (err) {
    if (!err || err.code !== 'EPIPE') throw err;
  });
  // Node's compile cache (in the system's temp folder, keyed by content) keeps the compiled code and
  // the TypeScript stripped from the sources between runs: a command starts about 0.4 s of CPU
  // sooner. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
  import('node:module')
    .then(function (mod) {
      if (typeof mod.enableCompileCache === 'function') mod.enableCompileCache();
      return import('../src/cli/main.ts');
    })
    .then(function (cli) {
      return cli.main(process.argv.slice(2));
    })
    .then(function (code) {
      process.exitCode = code;
    })
    .catch(function (err) {
      process.stderr.write('icp-sync: ' + (err && err.message ? err.message : String(err)) + '\n');
      process.exitCode = 1;
    });
}
