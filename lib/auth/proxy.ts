/** The door for proxy.ts (Next 16's middleware): the proxy's whole pipeline is session/proxy.ts. */
export { authProxy } from './session/proxy';
