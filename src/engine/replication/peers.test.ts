import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePeers } from './peers.js';

test('peers: region names to http(s) URLs without a path', () => {
  assert.deepEqual(parsePeers({ 'eu-west-1': 'http://127.0.0.1:8001/', 'ap-south-1': 'https://cairn.example:443' }), {
    'eu-west-1': 'http://127.0.0.1:8001',
    'ap-south-1': 'https://cairn.example:443',
  });
  assert.throws(() => parsePeers(['http://127.0.0.1:8001']), { message: '"peers" must be an object of region name -> URL' });
  assert.throws(() => parsePeers({ europe: 'http://127.0.0.1:8001' }), { message: '"peers": "europe" is not a region name' });
  assert.throws(() => parsePeers({ 'eu-west-1': 'http://127.0.0.1:8001/api' }), { message: '"peers.eu-west-1" must be an http(s) URL with no path' });
  assert.throws(() => parsePeers({ 'eu-west-1': 8001 }), { message: '"peers.eu-west-1" must be an http(s) URL with no path' });
});
