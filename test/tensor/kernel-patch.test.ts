/** The version guard on the wasm kernel patches (src/tensor/wasm-kernels/kernel-patch.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { batchMatMulPatch } from '../../src/tensor/wasm-kernels/batch-mat-mul.js';
import { conv2DBackpropInputPatch } from '../../src/tensor/wasm-kernels/conv2d-backprop-input.js';
import { identityPatch } from '../../src/tensor/wasm-kernels/identity.js';
import { applyKernelPatches, type KernelPatch } from '../../src/tensor/wasm-kernels/kernel-patch.js';

function fakePatch(kernel: string, writtenFor: string, appliedTo: string[]): KernelPatch {
  return { kernel, writtenFor, apply: (backendName) => appliedTo.push(`${kernel}@${backendName}`) };
}

test('a patch written for the installed version is applied, silently', () => {
  const appliedTo: string[] = [];
  const warnings: string[] = [];
  const applied = applyKernelPatches([fakePatch('BatchMatMul', '4.22.0', appliedTo)], 'wasm', '4.22.0', (l) => warnings.push(l));
  assert.deepEqual(applied, ['BatchMatMul']);
  assert.deepEqual(appliedTo, ['BatchMatMul@wasm']);
  assert.deepEqual(warnings, []);
});

test('a patch written for another version is skipped with a warning naming it and both versions', () => {
  const appliedTo: string[] = [];
  const warnings: string[] = [];
  const patches = [fakePatch('Identity', '4.22.0', appliedTo), fakePatch('Conv2DBackpropInput', '4.23.1', appliedTo)];
  const applied = applyKernelPatches(patches, 'wasm', '4.23.1', (l) => warnings.push(l));
  assert.deepEqual(applied, ['Conv2DBackpropInput']);
  assert.deepEqual(appliedTo, ['Conv2DBackpropInput@wasm']);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /Identity/);
  assert.match(warnings[0]!, /written for @tensorflow\/tfjs-backend-wasm 4\.22\.0 but 4\.23\.1 is installed: skipped/);
});

test('every shipped patch was written for the installed tfjs-backend-wasm (re-check the patches when upgrading)', () => {
  for (const patch of [batchMatMulPatch, conv2DBackpropInputPatch, identityPatch]) {
    assert.equal(patch.writtenFor, version_wasm, patch.kernel);
  }
});
