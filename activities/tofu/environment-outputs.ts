import type { TofuOutput } from './tofu-output';

/** The parts of an environment the caller is told about. */
export interface ProvisionedEnvironment {
  resources: Record<string, unknown>;
  endpoints: Record<string, string>;
}

const RESOURCE_OUTPUTS = ['vpc_network', 'gke_cluster', 'database_instance'];
const ENDPOINT_OUTPUTS = ['api_endpoint', 'web_interface', 'monitoring_dashboard'];

/** Splits stack outputs into resources and endpoints; sensitive outputs are never copied out. */
export function toProvisionedEnvironment(outputs: Record<string, TofuOutput>): ProvisionedEnvironment {
  const visible = Object.entries(outputs).filter(([, o]) => !o.sensitive);
  return {
    resources: Object.fromEntries(visible.filter(([k]) => RESOURCE_OUTPUTS.includes(k)).map(([k, o]) => [k, o.value])),
    endpoints: Object.fromEntries(
      visible.filter(([k]) => ENDPOINT_OUTPUTS.includes(k)).map(([k, o]) => [k, String(o.value)]),
    ),
  };
}
