import { trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-node';

/** A running tracer provider (registered globally: context propagation needs that). */
export interface Tracing {
  tracer: Tracer;
  resource: Resource;
  /** Where spans go; the worker hands it to the workflow span exporter sink too. */
  spanProcessor: SpanProcessor;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry tracing when there is somewhere to send spans: an OTLP/HTTP endpoint
 * (production) or a span processor (tests); returns null, and nothing is traced, otherwise.
 * Call once per process, before the first request or workflow task.
 */
export function startTracing(opts: {
  serviceName: string;
  otlpEndpoint?: string;
  spanProcessor?: SpanProcessor;
}): Tracing | null {
  const spanProcessor =
    opts.spanProcessor ??
    (opts.otlpEndpoint
      ? new BatchSpanProcessor(new OTLPTraceExporter({ url: `${opts.otlpEndpoint.replace(/\/$/, '')}/v1/traces` }))
      : undefined);
  if (!spanProcessor) return null;
  const resource = new Resource({ 'service.name': opts.serviceName });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  // Sets the global tracer provider, the AsyncLocalStorage context manager and the W3C
  // trace-context propagator that the Temporal interceptors inject into workflow headers.
  provider.register();
  return {
    tracer: trace.getTracer(opts.serviceName),
    resource,
    spanProcessor,
    shutdown: () => provider.shutdown(),
  };
}
