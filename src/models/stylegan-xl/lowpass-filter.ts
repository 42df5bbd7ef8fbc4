/**
 * The separable Kaiser low-pass FIR filters of StyleGAN3's alias-free layers, designed as the official
 * `SynthesisLayer.design_lowpass_filter` does (autonomousvision/stylegan_xl training/networks_stylegan3_resetting.py):
 * `scipy.signal.firwin(numtaps, cutoff, width=width, fs=fs)`, in float64, then rounded to float32.
 *
 * firwin with `width` (scipy.signal._fir_filter_design.firwin, pass_zero=True, scale=True): a Kaiser window whose β
 * comes from `kaiser_beta(kaiser_atten(numtaps, width / nyq))`, times the ideal low-pass impulse response
 * `c·sinc(c·m)` (c = cutoff / nyq, m = n − (numtaps − 1) / 2), scaled to unit DC gain. The radially symmetric
 * (jinc) variant of stylegan3-r configs is not ported: StyleGAN-XL's generators use stylegan3-t layers.
 */

/** Modified Bessel function of the first kind, order 0: its power series, which converges for every β used here. */
function besselI0(x: number): number {
  const quarterSquare = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500 && term > sum * 1e-17; k++) {
    term *= quarterSquare / (k * k);
    sum += term;
  }
  return sum;
}

/** scipy.signal.kaiser_atten: the attenuation (dB) of a Kaiser FIR filter of `numtaps` taps and normalised `width`. */
function kaiserAttenuation(numtaps: number, width: number): number {
  return 2.285 * (numtaps - 1) * Math.PI * width + 7.95;
}

/** scipy.signal.kaiser_beta: Kaiser & Schafer's empirical β for an attenuation in dB. */
function kaiserBeta(attenuation: number): number {
  if (attenuation > 50) return 0.1102 * (attenuation - 8.7);
  if (attenuation > 21) return 0.5842 * (attenuation - 21) ** 0.4 + 0.07886 * (attenuation - 21);
  return 0;
}

/** numpy.sinc: sin(πx)/(πx), 1 at 0. */
function sinc(x: number): number {
  if (x === 0) return 1;
  const y = Math.PI * x;
  return Math.sin(y) / y;
}

/**
 * The 1-D filter taps, or null for the identity (numtaps 1), exactly where the official code returns None.
 * `cutoff` and `width` are in the units of the sampling rate `fs`.
 */
export function designLowpassFilter(numtaps: number, cutoff: number, width: number, fs: number): Float32Array | null {
  if (!Number.isInteger(numtaps) || numtaps < 1) throw new RangeError(`lowpass filter: numtaps ${numtaps} must be a positive integer`);
  if (numtaps === 1) return null;
  const nyquist = fs / 2;
  const beta = kaiserBeta(kaiserAttenuation(numtaps, width / nyquist));
  const relativeCutoff = cutoff / nyquist;
  const alpha = (numtaps - 1) / 2;
  const taps = new Float64Array(numtaps);
  let sum = 0;
  for (let n = 0; n < numtaps; n++) {
    const m = n - alpha;
    // scipy.signal.windows.kaiser(numtaps, beta, sym=True)
    const ratio = (2 * n) / (numtaps - 1) - 1;
    const window = besselI0(beta * Math.sqrt(1 - ratio * ratio)) / besselI0(beta);
    taps[n] = relativeCutoff * sinc(relativeCutoff * m) * window;
    sum += taps[n]!;
  }
  return Float32Array.from(taps, (tap) => tap / sum);
}
