export { ApiServer, serverVersion, type ApiServerOptions } from './server.js';
export { Registry, type Scope, type WriteOptions, type WriteResult, type ListOptions, type PatchType } from './registry.js';
export { resources, findResource, findResourceByKind, type ResourceInfo } from './resources.js';
export { LocalClient } from "./local-client.js";
export { servePort, type PortBridge } from "./port-bridge.js";
export { evictPod, type EvictionRequest, type EvictionResult } from './eviction.js';
