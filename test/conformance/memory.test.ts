// Proves the in-memory backend keeps the whole Storage contract, by running the shared conformance suite.
import { MemoryStorage } from '../../src/storage/memory/memory-storage.ts';
import { storageConformance } from './storage-suite.ts';

storageConformance('memory', async () => new MemoryStorage());
