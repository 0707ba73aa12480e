import { distanceKm, type Point } from '../geo';

/**
 * Inland European towns a relocated machine can move to (a new job site far from its dealer), each at
 * least ~80 km from any coast, so a fix within {@link RELOCATION_JITTER_KM} of one is on land.
 */
export const RELOCATION_SITES: readonly (Point & { name: string })[] = Object.freeze([
  { name: 'Linz', latitude: 48.306, longitude: 14.286 },
  { name: 'Dijon', latitude: 47.322, longitude: 5.041 },
  { name: 'Brno', latitude: 49.195, longitude: 16.607 },
  { name: 'Wroclaw', latitude: 51.108, longitude: 17.039 },
  { name: 'Poznan', latitude: 52.406, longitude: 16.925 },
  { name: 'Vienna', latitude: 48.208, longitude: 16.373 },
  { name: 'Milan', latitude: 45.464, longitude: 9.19 },
  { name: 'Verona', latitude: 45.438, longitude: 10.992 },
  { name: 'Graz', latitude: 47.071, longitude: 15.439 },
  { name: 'Bratislava', latitude: 48.148, longitude: 17.107 },
  { name: 'Ljubljana', latitude: 46.056, longitude: 14.506 },
  { name: 'Turin', latitude: 45.07, longitude: 7.686 },
  { name: 'Orleans', latitude: 47.903, longitude: 1.909 },
  { name: 'Ostrava', latitude: 49.82, longitude: 18.262 },
  { name: 'Lyon', latitude: 45.764, longitude: 4.836 },
  { name: 'Parma', latitude: 44.801, longitude: 10.328 },
  { name: 'Bourges', latitude: 47.081, longitude: 2.398 },
  { name: 'Grenoble', latitude: 45.188, longitude: 5.724 },
  { name: 'Bologna', latitude: 44.494, longitude: 11.343 },
  { name: 'Lodz', latitude: 51.759, longitude: 19.456 },
  { name: 'Clermont-Ferrand', latitude: 45.778, longitude: 3.087 },
  { name: 'Zagreb', latitude: 45.815, longitude: 15.982 },
  { name: 'Le Mans', latitude: 48.006, longitude: 0.199 },
  { name: 'Tours', latitude: 47.394, longitude: 0.685 },
  { name: 'Krakow', latitude: 50.065, longitude: 19.945 },
  { name: 'Florence', latitude: 43.77, longitude: 11.255 },
  { name: 'Budapest', latitude: 47.498, longitude: 19.04 },
  { name: 'Kielce', latitude: 50.866, longitude: 20.628 },
  { name: 'Limoges', latitude: 45.834, longitude: 1.261 },
  { name: 'Poitiers', latitude: 46.58, longitude: 0.34 },
  { name: 'Pecs', latitude: 46.072, longitude: 18.233 },
  { name: 'Warsaw', latitude: 52.23, longitude: 21.012 },
  { name: 'Perugia', latitude: 43.112, longitude: 12.389 },
  { name: 'Banja Luka', latitude: 44.772, longitude: 17.191 },
  { name: 'Miskolc', latitude: 48.104, longitude: 20.778 },
  { name: 'Kosice', latitude: 48.717, longitude: 21.261 },
  { name: 'Rzeszow', latitude: 50.041, longitude: 21.999 },
  { name: 'Szeged', latitude: 46.253, longitude: 20.141 },
  { name: 'Lublin', latitude: 51.246, longitude: 22.568 },
  { name: 'Debrecen', latitude: 47.531, longitude: 21.627 },
  { name: 'Novi Sad', latitude: 45.267, longitude: 19.833 },
  { name: 'Toulouse', latitude: 43.605, longitude: 1.444 },
  { name: 'Bialystok', latitude: 53.132, longitude: 23.169 },
  { name: 'Sarajevo', latitude: 43.856, longitude: 18.413 },
  { name: 'Timisoara', latitude: 45.749, longitude: 21.208 },
  { name: 'Belgrade', latitude: 44.787, longitude: 20.457 },
  { name: 'Kaunas', latitude: 54.898, longitude: 23.904 },
  { name: 'Cluj-Napoca', latitude: 46.771, longitude: 23.624 },
  { name: 'Vilnius', latitude: 54.687, longitude: 25.28 },
]);

/** A relocated machine works within this distance of its new town. */
export const RELOCATION_JITTER_KM = 15;
/** How far from its branch a relocated machine ends up. */
export const RELOCATION_KM = Object.freeze({ min: 650, max: 1200 });

/** The towns whose surroundings lie 650-1,200 km from `branch` (all towns when none does). */
export function relocationSitesFor(branch: Point): readonly (Point & { name: string })[] {
  const lo = RELOCATION_KM.min + RELOCATION_JITTER_KM;
  const hi = RELOCATION_KM.max - RELOCATION_JITTER_KM;
  const fit = RELOCATION_SITES.filter((s) => {
    const km = distanceKm(branch, s);
    return km >= lo && km <= hi;
  });
  return fit.length > 0 ? fit : RELOCATION_SITES;
}
