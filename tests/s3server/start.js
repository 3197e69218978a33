'use strict';

// Runs s3rver for the S3 source tests, adding the one check it lacks: s3rver 3.7.1 accepts any SigV4
// signature ("Signature version 4 calculation is unimplemented"), and the AWS SDK for .NET signs only SigV4,
// so a wrong secret key would go unnoticed. Requests are verified here the way S3 does before s3rver serves
// them; unknown access keys, buckets and keys are left to s3rver's own errors.
//
// Usage: node start.js --directory <path> [--address 127.0.0.1] [--port 0] [--silent] [--parent-pid <pid>]
// Prints "S3rver listening on <address>:<port>" when it accepts connections, as s3rver's CLI does.
//
// It exits, deleting --directory, when its standard input closes or the --parent-pid process is gone: a test run
// that is killed (a mutation-testing time-out, Ctrl+C) cannot run its fixture's clean-up, and would otherwise leave
// the server and its objects behind.
//
// Broken transfers (a body cut mid-stream, a slow or stalled body) are made by the tests' FaultProxy in front of
// this server (tests/DeepRacer.Analysis.Tests/Sources/FaultProxy.cs), not here: s3rver stays as it is.

const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const S3rver = require('s3rver');
const AWSAccount = require('s3rver/lib/models/account');

function parseArgs(argv) {
  const options = { address: '127.0.0.1', port: 0, silent: false, directory: undefined, parentPid: undefined };
  for (let i = 0; i < argv.length; i++) {
    switch (argv[i]) {
      case '--directory': options.directory = argv[++i]; break;
      case '--address': options.address = argv[++i]; break;
      case '--port': options.port = Number(argv[++i]); break;
      case '--silent': options.silent = true; break;
      case '--parent-pid': options.parentPid = Number(argv[++i]); break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!options.directory) throw new Error('--directory is required');
  return options;
}

const hmac = (key, text) => crypto.createHmac('sha256', key).update(text, 'utf8').digest();
const sha256 = text => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

// RFC 3986 encoding, as SigV4 canonical query strings use it.
const encode = text =>
  encodeURIComponent(text).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());

function canonicalQuery(query) {
  if (!query) return '';
  return query
    .split('&')
    .filter(p => p.length > 0)
    .map(p => {
      const eq = p.indexOf('=');
      const name = eq < 0 ? p : p.slice(0, eq);
      const value = eq < 0 ? '' : p.slice(eq + 1);
      return [encode(decodeURIComponent(name)), encode(decodeURIComponent(value))];
    })
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1))
    .map(([n, v]) => `${n}=${v}`)
    .join('&');
}

// True when the request is not SigV4-header-signed (s3rver judges it) or its signature matches.
function signatureMatches(req) {
  const authorization = req.headers.authorization;
  const match = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$/.exec(authorization || '');
  if (!match) return true;
  const [, credential, signedHeaders, signature] = match;
  const [accessKeyId, date, region, service, terminator] = credential.split('/');
  const account = AWSAccount.registry.get(accessKeyId);
  if (!account) return true;
  const secret = account.accessKeys.get(accessKeyId);

  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const headers = signedHeaders
    .split(';')
    .map(h => `${h}:${String(req.headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonicalRequest = [
    req.method,
    path, // S3 signs the path as sent (encoded once), without normalising it
    canonicalQuery(q < 0 ? '' : req.url.slice(q + 1)),
    headers,
    signedHeaders,
    req.headers['x-amz-content-sha256'] || 'UNSIGNED-PAYLOAD',
  ].join('\n');
  const scope = [date, region, service, terminator].join('/');
  const stringToSign = ['AWS4-HMAC-SHA256', req.headers['x-amz-date'], scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac('AWS4' + secret, date), region), service), terminator);
  return crypto.createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex') === signature;
}

function rejectSignature(res) {
  res.writeHead(403, { 'Content-Type': 'application/xml', Connection: 'close' });
  res.end(
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code>' +
      '<Message>The request signature we calculated does not match the signature you provided. ' +
      'Check your key and signing method.</Message><RequestId>0</RequestId></Error>',
  );
}

// s3rver writes an object's body, its .md5 and its metadata one after another, in place: a request served meanwhile
// can read an empty or half-written MD5 (the AWS SDK then fails in HexStringToBytes checking the GET's ETag), an
// ETag that changes between a listing and the next, or a torn body. S3 makes a PUT atomic; here a write waits for the
// requests being served and holds the ones that come after it until it is done (first come, first served).
const lock = { readers: 0, writer: false, waiting: [] };

function admitNext() {
  while (lock.waiting.length > 0) {
    const next = lock.waiting[0];
    if (lock.writer || (next.write && lock.readers > 0)) return;
    lock.waiting.shift();
    if (next.write) lock.writer = true;
    else lock.readers++;
    next.admitted = true;
    next.run();
  }
}

function serveInTurn(req, res, run) {
  const entry = { write: req.method !== 'GET' && req.method !== 'HEAD', run, admitted: false };
  let done = false;
  const release = () => {
    if (done) return;
    done = true;
    if (!entry.admitted) {
      // The client left while it waited.
      lock.waiting.splice(lock.waiting.indexOf(entry), 1);
    } else if (entry.write) {
      lock.writer = false;
    } else {
      lock.readers--;
    }
    admitNext();
  };
  res.on('finish', release);
  res.on('close', release);
  lock.waiting.push(entry);
  admitNext();
}

const options = parseArgs(process.argv.slice(2));
fs.mkdirSync(options.directory, { recursive: true });
const s3rver = new S3rver({ directory: options.directory, silent: options.silent, vhostBuckets: false });
const serve = s3rver.callback();
const server = http.createServer((req, res) => {
  if (!signatureMatches(req)) return rejectSignature(res);
  serveInTurn(req, res, () => serve(req, res));
});

// Leave with the test run, however it ended, and take the stored objects along: a killed run cannot delete them.
function leave() {
  try {
    fs.rmSync(options.directory, { recursive: true, force: true });
  } finally {
    process.exit(0);
  }
}
process.stdin.on('end', leave);
process.stdin.on('error', leave);
process.stdin.resume();
if (options.parentPid) {
  setInterval(() => {
    try {
      process.kill(options.parentPid, 0);
    } catch {
      leave();
    }
  }, 1000).unref();
}
server.listen(options.port, options.address, () => {
  const { address, port } = server.address();
  console.log('S3rver listening on %s:%d', address, port);
});
