import { trace } from '@opentelemetry/api';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTracing } from '../../src/tracing/tracing';

// The production path of tracing: a batch of spans POSTed to <OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces.
describe('OTLP trace export', () => {
  it('is off without an endpoint, and sends spans to the configured collector when on', async () => {
    expect(startTracing({ serviceName: 'poc-test' })).toBeNull();

    const received: Array<{ url?: string; headers: IncomingHttpHeaders; bytes: number }> = [];
    const collector = createServer((req, res) => {
      let bytes = 0;
      req.on('data', (c: Buffer) => (bytes += c.length));
      req.on('end', () => {
        received.push({ url: req.url, headers: req.headers, bytes });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
      const tracing = startTracing({ serviceName: 'poc-test', otlpEndpoint: endpoint });
      expect(tracing).not.toBeNull();
      trace.getTracer('test').startSpan('a span').end();
      await tracing?.shutdown(); // flushes the batch
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ url: '/v1/traces', headers: { 'content-type': 'application/json' } });
      expect(received[0].bytes).toBeGreaterThan(0);
    } finally {
      await new Promise<void>((resolve) => collector.close(() => resolve()));
    }
  });
});
