export interface Point {
  latitude: number;
  longitude: number;
}

const EARTH_KM = 6371;
const RAD = Math.PI / 180;

/** Great-circle distance in km. */
export function distanceKm(a: Point, b: Point): number {
  const dLat = (b.latitude - a.latitude) * RAD;
  const dLon = (b.longitude - a.longitude) * RAD;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * RAD) * Math.cos(b.latitude * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The point `km` away from `from` on the initial bearing `bearingDeg`, rounded to 5 decimals (~1 m). */
export function destination(from: Point, bearingDeg: number, km: number): Point {
  const d = km / EARTH_KM;
  const b = bearingDeg * RAD;
  const lat1 = from.latitude * RAD;
  const lon1 = from.longitude * RAD;
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(b));
  const lon2 =
    lon1 +
    Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
  const lon = ((((lon2 / RAD + 540) % 360) + 360) % 360) - 180;
  return { latitude: round5(lat2 / RAD), longitude: round5(lon) };
}

export const round5 = (x: number): number => Math.round(x * 1e5) / 1e5;
