'use client';
/**
 * A time as a person reads it ("5 minutes ago"), the exact time on hover, in
 * the viewer's locale and time zone, which only the browser knows. The server
 * and the hydration render print the UTC ISO time, so both agree; the browser
 * then re-renders with its own (useSyncExternalStore's server snapshot).
 */
import { useSyncExternalStore } from 'react';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

function relative(value: Date): string {
  const seconds = (value.getTime() - Date.now()) / 1000;
  const [unit, size] = UNITS.find(([, size]) => Math.abs(seconds) >= size) ?? ['second', 1];
  return new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }).format(Math.round(seconds / size), unit);
}

const subscribe = () => () => {};

export function Timestamp({ value }: { value: Date }) {
  const inBrowser = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  const iso = value.toISOString();
  if (!inBrowser) return <time dateTime={iso}>{iso}</time>;
  return (
    <time dateTime={iso} title={new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'long' }).format(value)}>
      {relative(value)}
    </time>
  );
}
