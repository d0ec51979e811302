import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findTemporalBinary, testingExecutable } from '../../src/temporal/binaries';

describe('finding the Temporal binaries without internet', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('uses TEMPORAL_CLI_PATH first', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tbin-'));
    const fake = path.join(dir, 'my-temporal');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    process.env.TEMPORAL_CLI_PATH = fake;
    expect(findTemporalBinary('cli', { install: false })).toBe(fake);
    expect(testingExecutable('cli', { install: false })).toEqual({ type: 'existing-path', path: fake });
  });

  it('says so when the configured path is not an executable', () => {
    process.env.TEMPORAL_TEST_SERVER_PATH = '/nonexistent/temporal-test-server';
    expect(() => findTemporalBinary('testServer')).toThrow(
      'TEMPORAL_TEST_SERVER_PATH=/nonexistent/temporal-test-server is not an executable file',
    );
  });

  it('finds the pip-installed binaries on PATH or in Python’s scripts folder', () => {
    delete process.env.TEMPORAL_CLI_PATH;
    delete process.env.TEMPORAL_TEST_SERVER_PATH;
    expect(path.basename(findTemporalBinary('cli', { install: false }) ?? '')).toBe('temporal');
    expect(path.basename(findTemporalBinary('testServer', { install: false }) ?? '')).toBe('temporal-test-server');
  });

  it('falls back to the SDK download when nothing is found and installing is off', () => {
    delete process.env.TEMPORAL_CLI_PATH;
    process.env.PATH = '/nonexistent';
    // Python is not reachable either with this PATH, so neither its scripts folder nor pip can help.
    expect(testingExecutable('cli', { install: false })).toEqual({ type: 'cached-download' });
  });
});
