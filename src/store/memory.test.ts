import { runStoreContract } from './contract.js';
import { MemoryStore } from './memory.js';

runStoreContract({ name: 'memory', newStore: async () => new MemoryStore() });
