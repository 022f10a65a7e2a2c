import { test } from 'node:test';
import assert from 'node:assert/strict';
import { responseCoding } from './accept-encoding.js';

// Accept-Encoding -> the coding DynamoDB answers with, as ScyllaDB's Alternator tests recorded it against DynamoDB.
const CASES: readonly (readonly [string | undefined, 'gzip' | 'deflate' | undefined])[] = [
  [undefined, undefined],
  ['', undefined],
  ['identity', undefined],
  ['gzip', 'gzip'],
  ['deflate', 'deflate'],
  ['br', undefined],
  ['zstd', undefined],
  ['compress', undefined],
  ['x-gzip', undefined],
  ['gzip, deflate', 'gzip'],
  ['br, identity, deflate, gzip', 'deflate'],
  ['GZIP, identity', 'gzip'],
  ['dog, gzip ,, cat', 'gzip'],
  ['gzip;q=0.8, deflate;q=0.5', 'gzip'],
  ['br, gzip;q=0, deflate; q = 0.5 , identity;q=0', 'deflate'],
  ['*', 'gzip'],
  ['*, deflate;q=0.5', 'gzip'],
  ['*, deflate', 'deflate'],
  ['*, identity', 'gzip'],
  ['*, gzip;q=0.5', 'deflate'],
  ['gzip ;q=0', undefined],
  ['identity;q=0', undefined],
  ['*;q=0', undefined],
  ['*;q=0.5,identity', 'gzip'],
  ['gzip;q=0.5,identity;q=0.8', 'gzip'],
  ['br;q=0.8,identity;q=0.5,*;q=0', undefined],
  ['"gzip"', undefined],
  ['gzip br', undefined],
  ['gzip:q=1', undefined],
  ['deflate;q=0.5, gzip;q=31', 'gzip'],
  ['gzip;q=31,deflate;q=51', 'gzip'],
  ['deflate;q=0.5, gzip;q=0.2', 'deflate'],
  ['deflate;q=0.5, gzip;q=1;q=0.2', 'gzip'],
  ['deflate;q=0.5,gzip;q=0.', 'deflate'],
  ['deflate;q=0.5,gzip;q=0.x', 'gzip'],
  ['deflate;q=0.5,gzip;q=0. x', 'gzip'],
  ['deflate;q=-0.5,gzip;q=0.2', 'gzip'],
  ['gzip;q= 0;q=1', undefined],
  ['gzip;q =0;q=1', 'gzip'],
  ['gzip; q=0;q=1', undefined],
  ['gzip;nq=0;q=1', undefined],
  ['gzip;q=0, gzip;q=1, gzip;q=0', 'gzip'],
  ['br,identity;q=0.5,gzip;q=0.0001', 'gzip'],
];

for (const [header, expected] of CASES) {
  test(`Accept-Encoding ${JSON.stringify(header)} -> ${expected ?? 'uncompressed'}`, () => {
    assert.equal(responseCoding(header), expected);
  });
}
