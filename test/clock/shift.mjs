// Moves this process's clock by SAMLSCOPE_CLOCK_SHIFT_DAYS days (loaded with node --import by
// scripts/test-clock.mjs). Date.now(), new Date() and Date() read the moved clock; dates built
// from a value or a string are what they say. Nothing else of Date changes.
const days = Number(process.env.SAMLSCOPE_CLOCK_SHIFT_DAYS ?? 0);
if (days && Number.isFinite(days)) {
  const shift = days * 86400e3;
  const Real = Date;
  function Shifted(...args) {
    if (!new.target) return new Real(Real.now() + shift).toString();
    return args.length === 0 ? new Real(Real.now() + shift) : new Real(...args);
  }
  Shifted.prototype = Real.prototype;
  Object.setPrototypeOf(Shifted, Real);
  Shifted.now = () => Real.now() + shift;
  globalThis.Date = Shifted;
}
