import { openMemoryStore } from '../../src/store/open.js';
import { storeContract } from './contract.js';

storeContract('memory', { open: async () => openMemoryStore() });
