/**
 * Example wire objects written from the swagger definitions, with every property the definitions declare, for
 * schema tests and for the fake vCenter's answers.
 */

/** A `VapiStdLocalizableMessage` with every property, including a nested localization parameter. */
export function localizableMessageExample(text = 'The passive node is not reachable.'): Record<string, unknown> {
  return {
    id: 'com.vmware.vcenter.vcha.passive.unreachable',
    default_message: text,
    args: ['node2'],
    params: {
      when: { dt: '2024-05-01T10:00:00.000Z', format: 'SHORT_DATE_TIME' },
      count: { i: 2 },
      ratio: { d: 0.5, precision: 1 },
      name: { s: 'node2' },
      state: { l: { id: 'com.vmware.vcenter.vcha.state.down', params: { n: { s: 'x' } } } },
    },
    localized: text,
  };
}

function ipv4Example(address: string): Record<string, unknown> {
  return {
    ip_family: 'IPV4',
    ipv4: { address, subnet_mask: '255.255.255.0', prefix: 24 },
    ipv6: { address: 'fd00::10', prefix: 64 },
    gateway_ip: '192.168.10.1',
  };
}

function placementExample(vmName: string): Record<string, unknown> {
  return {
    management_vcenter_name: 'mgmt-vc.example.com',
    management_vcenter_server_guid: '0c5e1c4e-5a4b-4d0c-9d3e-000000000001',
    vm_name: vmName,
    datacenter: 'datacenter-1',
    datacenter_name: 'DC1',
    host: 'host-10',
    host_name: 'esx01.example.com',
    cluster: 'domain-c7',
    cluster_name: 'Cluster-A',
    ha_network: 'network-20',
    ha_network_name: 'VCHA',
    ha_network_type: 'STANDARD_PORTGROUP',
    management_network: 'dvportgroup-30',
    management_network_name: 'Management',
    management_network_type: 'DISTRIBUTED_PORTGROUP',
    storage: { datastore: 'datastore-40', datastore_name: 'vsanDatastore' },
    bios_uuid: '4210b1a8-0000-0000-0000-000000000001',
  };
}

/** A `VcenterVchaClusterInfo` with every property set. */
export function clusterInfoExample(): Record<string, unknown> {
  return {
    config_state: 'CONFIGURED',
    node1: {
      failover_ip: ipv4Example('192.168.1.10'),
      ha_ip: ipv4Example('192.168.10.11'),
      runtime: { state: 'UP', role: 'ACTIVE', placement: placementExample('vc01-active') },
    },
    node2: {
      failover_ip: ipv4Example('192.168.1.10'),
      ha_ip: ipv4Example('192.168.10.12'),
      runtime: { state: 'UP', role: 'PASSIVE', placement: placementExample('vc01-passive') },
    },
    witness: {
      ha_ip: ipv4Example('192.168.10.13'),
      runtime: { state: 'UP', role: 'WITNESS', placement: placementExample('vc01-witness') },
    },
    mode: 'ENABLED',
    health_state: 'HEALTHY',
    health_exception: [localizableMessageExample('Health information is unavailable.')],
    health_warnings: [
      {
        error: localizableMessageExample(),
        recommendation: localizableMessageExample('Check the VCHA network.'),
      },
    ],
    manual_failover_allowed: true,
    auto_failover_allowed: true,
  };
}

/** A `VcenterVchaOperationsInfo` of a healthy configured cluster. */
export function operationsInfoExample(): Record<string, unknown> {
  return { disabled: ['vcenter.vcha.cluster.deploy'], active: [] };
}

/** A `CisTaskInfo` with every property set, of a running failover task. */
export function taskInfoExample(): Record<string, unknown> {
  return {
    progress: { total: 100, completed: 40, message: localizableMessageExample('Flushing state to the passive node.') },
    result: {},
    description: localizableMessageExample('Failover'),
    service: 'com.vmware.vcenter.vcha.cluster',
    operation: 'failover$task',
    parent: 'task-1000:com.vmware.cis',
    target: { type: 'com.vmware.vcenter.vcha.cluster', id: 'vcha' },
    status: 'RUNNING',
    cancelable: false,
    error: 'none',
    start_time: '2024-05-01T10:00:00.000Z',
    end_time: '2024-05-01T10:03:00.000Z',
    user: 'administrator@vsphere.local',
  };
}

/** A `VapiStdErrorsError` with every property set. */
export function vapiErrorExample(): Record<string, unknown> {
  return {
    messages: [localizableMessageExample('Operation execution requires the Global.VCServer privilege.')],
    data: { extra: 'detail' },
    error_type: 'UNAUTHORIZED',
  };
}
