import { elementFunctions as f, elementOutputGuards } from './index';

describe('math element functions', () => {
  it('round: ties go up, to_nearest scales the grid', () => {
    expect(f.round(2.5, [])).toBe(3);
    expect(f.round(-2.5, [])).toBe(-2);
    expect(f.round(-2.6, [])).toBe(-3);
    expect(f.round(1.234, [0.1])).toBeCloseTo(1.2, 15);
    expect(f.round(1.25, [0.5])).toBe(1.5);
    expect(f.round(5, [10])).toBe(10);
    expect(f.round(14, [10])).toBe(10);
    expect(f.round(NaN, [])).toBeNaN();
    expect(f.round(Infinity, [])).toBe(Infinity);
  });

  it('sgn keeps zeros and NaN', () => {
    expect(f.sgn(-3, [])).toBe(-1);
    expect(f.sgn(0.001, [])).toBe(1);
    expect(Object.is(f.sgn(-0, []), -0)).toBe(true);
    expect(f.sgn(NaN, [])).toBeNaN();
    expect(f.sgn(-Infinity, [])).toBe(-1);
  });

  it('clamp, clamp_min, clamp_max bound the value', () => {
    expect(f.clamp(5, [0, 3])).toBe(3);
    expect(f.clamp(-5, [0, 3])).toBe(0);
    expect(f.clamp(2, [0, 3])).toBe(2);
    expect(f.clamp_min(-5, [0])).toBe(0);
    expect(f.clamp_min(5, [0])).toBe(5);
    expect(f.clamp_max(5, [3])).toBe(3);
    expect(f.clamp_max(-5, [3])).toBe(-5);
    expect(f.clamp(NaN, [0, 3])).toBeNaN();
    expect(f.clamp(1, [NaN, 3])).toBeNaN();
  });

  it('clamp with max < min suppresses the output instead of returning a value', () => {
    expect(elementOutputGuards.clamp([5, 1])).toBe(true);
    expect(elementOutputGuards.clamp([1, 5])).toBe(false);
    expect(elementOutputGuards.clamp([1, 1])).toBe(false);
    expect(elementOutputGuards.clamp([NaN, 1])).toBe(false); // NaN bounds compare false: output is NaN
    expect(Object.keys(elementOutputGuards)).toEqual(['clamp']);
  });

  it('abs, ceil, floor, exp, sqrt and logarithms follow IEEE special cases', () => {
    expect(f.abs(-0.5, [])).toBe(0.5);
    expect(f.ceil(1.1, [])).toBe(2);
    expect(f.floor(-1.1, [])).toBe(-2);
    expect(f.exp(0, [])).toBe(1);
    expect(f.exp(Infinity, [])).toBe(Infinity);
    expect(f.exp(-Infinity, [])).toBe(0);
    expect(f.sqrt(16, [])).toBe(4);
    expect(f.sqrt(-1, [])).toBeNaN();
    expect(f.ln(Math.E, [])).toBe(1);
    expect(f.ln(0, [])).toBe(-Infinity);
    expect(f.ln(-1, [])).toBeNaN();
    expect(f.log2(8, [])).toBe(3);
    expect(f.log10(1000, [])).toBe(3);
    expect(f.log10(-1, [])).toBeNaN();
  });
});

describe('trigonometric element functions', () => {
  it('convert between degrees and radians', () => {
    expect(f.deg(Math.PI, [])).toBe(180);
    expect(f.rad(180, [])).toBe(Math.PI);
    expect(f.deg(f.rad(57, []), [])).toBeCloseTo(57, 12);
  });

  it('evaluate the usual identities and domains', () => {
    expect(f.sin(0, [])).toBe(0);
    expect(f.cos(0, [])).toBe(1);
    expect(f.tan(Math.PI / 4, [])).toBeCloseTo(1, 15);
    expect(f.asin(1, [])).toBe(Math.PI / 2);
    expect(f.acos(2, [])).toBeNaN();
    expect(f.atan(Infinity, [])).toBe(Math.PI / 2);
    expect(f.sinh(0, [])).toBe(0);
    expect(f.cosh(0, [])).toBe(1);
    expect(f.tanh(Infinity, [])).toBe(1);
    expect(f.asinh(0, [])).toBe(0);
    expect(f.acosh(0.5, [])).toBeNaN();
    expect(f.atanh(1, [])).toBe(Infinity);
    expect(f.sin(Infinity, [])).toBeNaN();
  });
});

describe('date element functions (UTC, seconds since epoch)', () => {
  const monday = 1136239445; // 2006-01-02 22:04:05 UTC

  it('split a timestamp into its calendar parts', () => {
    expect(f.year(monday, [])).toBe(2006);
    expect(f.month(monday, [])).toBe(1);
    expect(f.day_of_month(monday, [])).toBe(2);
    expect(f.day_of_week(monday, [])).toBe(1);
    expect(f.day_of_year(monday, [])).toBe(2);
    expect(f.hour(monday, [])).toBe(22);
    expect(f.minute(monday, [])).toBe(4);
    expect(f.days_in_month(monday, [])).toBe(31);
  });

  it('knows the epoch, leap years and year ends', () => {
    expect(f.day_of_week(0, [])).toBe(4); // Thursday
    expect(f.year(1230767999, [])).toBe(2008);
    expect(f.year(1230768000, [])).toBe(2009);
    expect(f.days_in_month(1454284800, [])).toBe(29); // 2016-02-01
    expect(f.days_in_month(1485907200, [])).toBe(28); // 2017-02-01
    expect(f.day_of_year(1483191420, [])).toBe(366); // 2016-12-31
    expect(f.day_of_year(1672493820, [])).toBe(365); // 2022-12-31
    expect(f.month(1456790399, [])).toBe(2); // 2016-02-29 23:59:59
    expect(f.day_of_month(1456790399, [])).toBe(29);
  });

  it('truncates fractional seconds toward zero like Go’s int64()', () => {
    expect(f.year(-0.5, [])).toBe(1970);
    expect(f.year(-1, [])).toBe(1969);
    expect(f.hour(-1, [])).toBe(23);
    expect(f.day_of_week(-1, [])).toBe(3);
  });

  it('handles years 0..99 literally (proleptic Gregorian)', () => {
    const feb1Year0 = -62167219200 + 31 * 86400;
    expect(f.year(feb1Year0, [])).toBe(0);
    expect(f.days_in_month(feb1Year0, [])).toBe(29); // year 0 is a leap year
    expect(f.day_of_year(-62167219200 + 365 * 86400, [])).toBe(366);
  });

  it('gives NaN for values that are not representable dates', () => {
    for (const name of ['year', 'month', 'day_of_month', 'day_of_week', 'day_of_year', 'days_in_month', 'hour', 'minute']) {
      expect(f[name](NaN, [])).toBeNaN();
      expect(f[name](Infinity, [])).toBeNaN();
      expect(f[name](1e15, [])).toBeNaN();
    }
  });
});
