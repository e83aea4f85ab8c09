/** Bundle entry for tests: the product's workflows plus workflows that exist only to test the harness. */
export * from '../../../src/workflows';
export * from './smoke';
export * from '../../../examples/patch-then-failover';
export * from './module-probe';
