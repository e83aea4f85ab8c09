import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { type z } from 'zod';
import {
  CisTaskInfoSchema,
  CisTaskProgressSchema,
  CisTasksListResultSchema,
  SessionTokenSchema,
  TaskIdSchema,
  VapiStdDynamicIDSchema,
  VapiStdErrorsErrorSchema,
  VapiStdLocalizableMessageSchema,
  VapiStdLocalizationParamSchema,
  VapiStdNestedLocalizableMessageSchema,
  VcenterVchaClusterErrorConditionSchema,
  VcenterVchaClusterInfoSchema,
  VcenterVchaClusterIpInfoSchema,
  VcenterVchaClusterIpv4InfoSchema,
  VcenterVchaClusterIpv6InfoSchema,
  VcenterVchaClusterModeInfoSchema,
  VcenterVchaClusterNodeInfoSchema,
  VcenterVchaClusterNodeRuntimeInfoSchema,
  VcenterVchaClusterWitnessInfoSchema,
  VcenterVchaDiskInfoSchema,
  VcenterVchaOperationsInfoSchema,
  VcenterVchaPlacementInfoSchema,
  VcenterDatacenterSummarySchema,
  VcenterServicesListResultSchema,
  VcenterServicesServiceInfoSchema,
  APPLIANCE_HEALTH_LEVELS,
  ApplianceHealthLastCheckSchema,
  ApplianceHealthSystemHealthLevelSchema,
} from '../../src/vcenter/schemas';
import { ACCEPTABLE_HEALTH } from '../../src/domain/readiness';
import { isFailoverOperationId } from '../../src/vcenter/operations';
import {
  clusterInfoExample,
  localizableMessageExample,
  operationsInfoExample,
  taskInfoExample,
  vapiErrorExample,
} from './examples';

interface SwaggerDefinition {
  properties?: Record<string, { type?: string; $ref?: string; enum?: string[] }>;
  required?: string[];
  enum?: string[];
}
interface Swagger {
  definitions: Record<string, SwaggerDefinition>;
}

const fixtures = join(__dirname, '..', 'fixtures', 'vcenter-api');
const swaggers = {
  vcha: JSON.parse(readFileSync(join(fixtures, 'vcenter-vcha-7.0.3.json'), 'utf8')) as Swagger,
  tasks: JSON.parse(readFileSync(join(fixtures, 'cis-tasks-8.0.2.json'), 'utf8')) as Swagger,
  services: JSON.parse(readFileSync(join(fixtures, 'vcenter-services-7.0.3.json'), 'utf8')) as Swagger,
  health: JSON.parse(readFileSync(join(fixtures, 'appliance-health-8.0.2.json'), 'utf8')) as Swagger,
};

const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ $id: 'vcha', definitions: swaggers.vcha.definitions });
ajv.addSchema({ $id: 'tasks', definitions: swaggers.tasks.definitions });

/** Asserts that an example is valid per the swagger definition itself, so the examples are the spec's shapes. */
function assertValidPerSwagger(file: 'vcha' | 'tasks', definition: string, value: unknown): void {
  const validate = ajv.getSchema(`${file}#/definitions/${definition}`);
  assert.ok(validate, `no definition ${definition}`);
  assert.ok(validate(value), `${definition}: ${ajv.errorsText(validate.errors)}`);
}

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> {
  return (schema as unknown as { shape: Record<string, z.ZodType> }).shape;
}

describe('schemas mirror the swagger definitions', () => {
  const pairs: [keyof typeof swaggers, string, z.ZodType][] = [
    ['vcha', 'VcenterVchaClusterInfo', VcenterVchaClusterInfoSchema],
    ['vcha', 'VcenterVchaClusterNodeInfo', VcenterVchaClusterNodeInfoSchema],
    ['vcha', 'VcenterVchaClusterNodeRuntimeInfo', VcenterVchaClusterNodeRuntimeInfoSchema],
    ['vcha', 'VcenterVchaClusterWitnessInfo', VcenterVchaClusterWitnessInfoSchema],
    ['vcha', 'VcenterVchaClusterIpInfo', VcenterVchaClusterIpInfoSchema],
    ['vcha', 'VcenterVchaClusterIpv4Info', VcenterVchaClusterIpv4InfoSchema],
    ['vcha', 'VcenterVchaClusterIpv6Info', VcenterVchaClusterIpv6InfoSchema],
    ['vcha', 'VcenterVchaClusterErrorCondition', VcenterVchaClusterErrorConditionSchema],
    ['vcha', 'VcenterVchaPlacementInfo', VcenterVchaPlacementInfoSchema],
    ['vcha', 'VcenterVchaDiskInfo', VcenterVchaDiskInfoSchema],
    ['vcha', 'VcenterVchaClusterModeInfo', VcenterVchaClusterModeInfoSchema],
    ['vcha', 'VcenterVchaOperationsInfo', VcenterVchaOperationsInfoSchema],
    ['vcha', 'VapiStdErrorsError', VapiStdErrorsErrorSchema],
    ['vcha', 'VapiStdLocalizableMessage', VapiStdLocalizableMessageSchema],
    ['vcha', 'VapiStdLocalizationParam', VapiStdLocalizationParamSchema],
    ['vcha', 'VapiStdNestedLocalizableMessage', VapiStdNestedLocalizableMessageSchema],
    ['tasks', 'CisTaskInfo', CisTaskInfoSchema],
    ['tasks', 'CisTaskProgress', CisTaskProgressSchema],
    ['tasks', 'VapiStdDynamicID', VapiStdDynamicIDSchema],
    ['services', 'VcenterServicesServiceInfo', VcenterServicesServiceInfoSchema],
    ['services', 'VcenterDatacenterSummary', VcenterDatacenterSummarySchema],
  ];

  for (const [file, name, schema] of pairs) {
    it(`${name}: same properties, required exactly where the spec requires`, () => {
      const definition = swaggers[file].definitions[name];
      assert.ok(definition?.properties, `${name} missing from ${file}`);
      const shape = shapeOf(schema);
      assert.deepEqual(Object.keys(shape).sort(), Object.keys(definition.properties).sort());
      for (const property of Object.keys(definition.properties)) {
        const required: boolean = definition.required?.includes(property) ?? false;
        const acceptsMissing = shape[property]?.safeParse(undefined).success;
        assert.equal(acceptsMissing, !required, `${name}.${property} required=${required}`);
      }
    });
  }

  it('strict enums list exactly the spec values', () => {
    const cases: [string, string, unknown][] = [
      ['VcenterVchaClusterConfigState', 'config_state', VcenterVchaClusterInfoSchema],
      ['VcenterVchaClusterClusterMode', 'mode', VcenterVchaClusterInfoSchema],
    ];
    for (const [definition, property] of cases) {
      for (const value of swaggers.vcha.definitions[definition]?.enum ?? []) {
        assert.ok(VcenterVchaClusterInfoSchema.safeParse({ [property]: value }).success, `${property}=${value}`);
      }
    }
    for (const value of swaggers.vcha.definitions.VcenterVchaClusterNodeState?.enum ?? []) {
      assert.ok(VcenterVchaClusterNodeRuntimeInfoSchema.safeParse({ state: value }).success);
    }
    for (const value of swaggers.vcha.definitions.VcenterVchaClusterNodeRole?.enum ?? []) {
      assert.ok(VcenterVchaClusterNodeRuntimeInfoSchema.safeParse({ role: value }).success);
    }
    const service = { name_key: 'n', description_key: 'd', startup_type: 'AUTOMATIC', state: 'STARTED' };
    const startupTypes = swaggers.services.definitions.VcenterServicesServiceStartupType?.enum ?? [];
    const states = swaggers.services.definitions.VcenterServicesServiceState?.enum ?? [];
    assert.deepEqual([startupTypes.length, states.length], [3, 4]);
    for (const value of startupTypes) {
      assert.ok(VcenterServicesServiceInfoSchema.safeParse({ ...service, startup_type: value }).success, value);
    }
    for (const value of states)
      assert.ok(VcenterServicesServiceInfoSchema.safeParse({ ...service, state: value }).success);
    assert.equal(VcenterServicesServiceInfoSchema.safeParse({ ...service, state: 'RUNNING' }).success, false);
    // Health is open: a value a newer vCenter adds is kept, as is an unknown property.
    const newer = VcenterServicesListResultSchema.parse({ vpxd: { ...service, health: 'UNKNOWN', extra: 1 } });
    assert.deepEqual(newer.vpxd, { ...service, health: 'UNKNOWN', extra: 1 });
    // The appliance's colors: the known ones are the spec's; the gate accepts only known ones; a
    // color a newer vCenter adds still parses (and is then not acceptable).
    const levels = swaggers.health.definitions.ApplianceHealthSystemHealthLevel?.enum ?? [];
    assert.deepEqual([...APPLIANCE_HEALTH_LEVELS], levels);
    for (const color of ACCEPTABLE_HEALTH) assert.ok(levels.includes(color), color);
    for (const color of [...levels, 'purple']) assert.equal(ApplianceHealthSystemHealthLevelSchema.parse(color), color);
    assert.equal(ApplianceHealthSystemHealthLevelSchema.safeParse({ color: 'green' }).success, false);
    assert.ok(ApplianceHealthLastCheckSchema.safeParse('2026-12-07T03:00:00.000Z').success);
    assert.equal(ApplianceHealthLastCheckSchema.safeParse('yesterday').success, false);
    const statuses = swaggers.tasks.definitions.CisTaskStatus?.enum ?? [];
    assert.equal(statuses.length, 5);
    for (const status of statuses) {
      assert.ok(CisTaskInfoSchema.safeParse({ ...taskInfoExample(), status }).success, status);
    }
  });
});

describe('spec-shaped examples', () => {
  it('a cluster info with every property is valid per the swagger and parses unchanged', () => {
    const example = clusterInfoExample();
    assertValidPerSwagger('vcha', 'VcenterVchaClusterInfo', example);
    assert.deepEqual(VcenterVchaClusterInfoSchema.parse(example), example);
  });

  it('an empty cluster info parses (every property optional)', () => {
    assertValidPerSwagger('vcha', 'VcenterVchaClusterInfo', {});
    assert.deepEqual(VcenterVchaClusterInfoSchema.parse({}), {});
  });

  it('mode, operations, error and task examples are valid per the swagger and parse unchanged', () => {
    assertValidPerSwagger('vcha', 'VcenterVchaClusterModeInfo', { mode: 'MAINTENANCE' });
    assert.deepEqual(VcenterVchaClusterModeInfoSchema.parse({ mode: 'MAINTENANCE' }), { mode: 'MAINTENANCE' });
    assertValidPerSwagger('vcha', 'VcenterVchaOperationsInfo', operationsInfoExample());
    assert.deepEqual(VcenterVchaOperationsInfoSchema.parse(operationsInfoExample()), operationsInfoExample());
    assertValidPerSwagger('vcha', 'VapiStdErrorsError', vapiErrorExample());
    assert.deepEqual(VapiStdErrorsErrorSchema.parse(vapiErrorExample()), vapiErrorExample());
    assertValidPerSwagger('tasks', 'CisTaskInfo', taskInfoExample());
    assert.deepEqual(CisTaskInfoSchema.parse(taskInfoExample()), taskInfoExample());
  });

  it('the tasks list is a map of task id to task info', () => {
    const list = { 'task-1:com.vmware.vcenter.vcha.cluster': taskInfoExample(), 'task-2:x': taskInfoExample() };
    assert.deepEqual(CisTasksListResultSchema.parse(list), list);
    assert.equal(CisTasksListResultSchema.safeParse({ 'task-1': { status: 'RUNNING' } }).success, false);
  });

  it('session token and task id are JSON strings', () => {
    assert.equal(SessionTokenSchema.parse('b1946ac92492d2347c6235b4d2611184'), 'b1946ac92492d2347c6235b4d2611184');
    assert.equal(SessionTokenSchema.safeParse({ value: 'x' }).success, false);
    assert.equal(SessionTokenSchema.safeParse('').success, false);
    assert.equal(
      TaskIdSchema.parse('task-1:com.vmware.vcenter.vcha.cluster'),
      'task-1:com.vmware.vcenter.vcha.cluster',
    );
    assert.equal(TaskIdSchema.safeParse(42).success, false);
  });

  it('a vAPI error without error_type (before 6.7.2) or with a null one parses', () => {
    const messages = [localizableMessageExample('x')];
    assert.ok(VapiStdErrorsErrorSchema.safeParse({ messages }).success);
    assert.ok(VapiStdErrorsErrorSchema.safeParse({ messages, error_type: null }).success);
    assert.equal(VapiStdErrorsErrorSchema.safeParse({ error_type: 'ERROR' }).success, false);
  });
});

describe('tolerance and strictness', () => {
  it('keeps unknown extra properties at every level', () => {
    const example = clusterInfoExample() as Record<string, Record<string, Record<string, unknown>>>;
    const withExtras = {
      ...example,
      new_top_level: { anything: [1, 2] },
      node1: { ...example.node1, new_node_field: true, runtime: { ...example.node1?.runtime, new_runtime: 'x' } },
    };
    const parsed = VcenterVchaClusterInfoSchema.parse(withExtras) as Record<string, unknown>;
    assert.deepEqual(parsed.new_top_level, { anything: [1, 2] });
    assert.deepEqual(parsed, withExtras);
    assert.ok(CisTaskInfoSchema.safeParse({ ...taskInfoExample(), new_task_field: 1 }).success);
  });

  it('rejects wrong types, naming the path', () => {
    const cases: [z.ZodType, unknown, string][] = [
      [VcenterVchaClusterInfoSchema, { manual_failover_allowed: 'yes' }, 'manual_failover_allowed'],
      [VcenterVchaClusterInfoSchema, { node1: { ha_ip: { ip_family: 'IPV4' }, runtime: 'UP' } }, 'node1.runtime'],
      [VcenterVchaClusterInfoSchema, { node1: { runtime: {} } }, 'node1.ha_ip'],
      [VcenterVchaClusterInfoSchema, { health_warnings: [{ recommendation: {} }] }, 'health_warnings.0.error'],
      [VcenterVchaClusterInfoSchema, [], ''],
      [VcenterVchaOperationsInfoSchema, { disabled: 'vcenter.vcha.cluster.failover', active: [] }, 'disabled'],
      [CisTaskInfoSchema, { ...taskInfoExample(), cancelable: 'false' }, 'cancelable'],
      [
        CisTaskInfoSchema,
        { ...taskInfoExample(), progress: { total: 1.5, completed: 0, message: {} } },
        'progress.total',
      ],
      [VapiStdLocalizationParamSchema, { l: { params: { x: { i: 'one' } } } }, 'l.id'],
    ];
    for (const [schema, value, path] of cases) {
      const result = schema.safeParse(value);
      assert.equal(result.success, false, `accepted ${JSON.stringify(value)}`);
      const paths = result.error?.issues.map((issue) => issue.path.join('.'));
      assert.ok(paths?.includes(path), `expected an issue at "${path}", got ${JSON.stringify(paths)}`);
    }
  });

  it('rejects unknown values of the enums decisions depend on', () => {
    assert.equal(VcenterVchaClusterInfoSchema.safeParse({ config_state: 'CONFIGURING' }).success, false);
    assert.equal(VcenterVchaClusterInfoSchema.safeParse({ mode: 'PAUSED' }).success, false);
    assert.equal(VcenterVchaClusterModeInfoSchema.safeParse({ mode: 'PAUSED' }).success, false);
    assert.equal(VcenterVchaClusterNodeRuntimeInfoSchema.safeParse({ state: 'STARTING' }).success, false);
    assert.equal(VcenterVchaClusterNodeRuntimeInfoSchema.safeParse({ role: 'OBSERVER' }).success, false);
    assert.equal(CisTaskInfoSchema.safeParse({ ...taskInfoExample(), status: 'CANCELLED' }).success, false);
  });

  it('accepts unknown values of display-only enums and of health_state', () => {
    assert.equal(VcenterVchaClusterInfoSchema.parse({ health_state: 'RECOVERING' }).health_state, 'RECOVERING');
    assert.ok(VcenterVchaClusterIpInfoSchema.safeParse({ ip_family: 'IPV8' }).success);
    assert.ok(VapiStdErrorsErrorSchema.safeParse({ messages: [], error_type: 'BRAND_NEW_ERROR' }).success);
    assert.equal(VcenterVchaClusterInfoSchema.safeParse({ health_state: 7 }).success, false);
  });

  it('accepts a task error as the vAPI error object or as a string, nothing else', () => {
    const failed = { ...taskInfoExample(), status: 'FAILED' };
    assert.deepEqual(CisTaskInfoSchema.parse({ ...failed, error: vapiErrorExample() }).error, vapiErrorExample());
    assert.equal(CisTaskInfoSchema.parse({ ...failed, error: 'Failover failed' }).error, 'Failover failed');
    assert.equal(CisTaskInfoSchema.safeParse({ ...failed, error: 500 }).success, false);
    assert.equal(CisTaskInfoSchema.safeParse({ ...failed, error: { messages: 'x' } }).success, false);
  });
});

describe('isFailoverOperationId', () => {
  it('recognises the failover id with and without the com.vmware. prefix only', () => {
    assert.equal(isFailoverOperationId('vcenter.vcha.cluster.failover'), true);
    assert.equal(isFailoverOperationId('com.vmware.vcenter.vcha.cluster.failover'), true);
    assert.equal(isFailoverOperationId('vcenter.vcha.cluster.deploy'), false);
    assert.equal(isFailoverOperationId('vcenter.vcha.cluster.failover.extra'), false);
    assert.equal(isFailoverOperationId('failover'), false);
  });
});
