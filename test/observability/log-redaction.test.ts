/**
 * The logger's redaction, line by line (src/logger.ts): what it hides, where, and that a line with nothing to hide is
 * written exactly as pino made it. The API's own lines are covered end to end in api-observability.test.ts.
 */
import { createLogger, redactLine } from '../../src/logger';

function logged(write: (logger: ReturnType<typeof createLogger>) => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', name: 'api', destination: { write: (l: string) => lines.push(l) } });
  write(logger);
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('log redaction', () => {
  it('hides contact details and secrets at the top and up to three levels down, arrays counting as a level', () => {
    const [line] = logged((l) =>
      l.info(
        {
          to: 'anna@example.com',
          input: { order: { orderId: 'o-1', email: 'anna@example.com', phone: '+37121234567' } },
          args: [{ order: { email: 'anna@example.com' }, authToken: 'tok-SECRET' }],
          config: { database: { databaseUrl: 'postgres://u:pw@db/x' } },
        },
        'sending',
      ),
    );
    expect(line).toMatchObject({
      to: '[redacted]',
      input: { order: { orderId: 'o-1', email: '[redacted]', phone: '[redacted]' } },
      args: [{ order: { email: '[redacted]' }, authToken: '[redacted]' }],
      config: { database: { databaseUrl: '[redacted]' } },
      msg: 'sending',
    });
    expect(JSON.stringify(line)).not.toMatch(/anna@example|37121234567|SECRET|pw@db/);
  });

  it("keeps the logger's own name and hides people's names below the top", () => {
    const [line] = logged((l) => l.info({ order: { name: 'Anna Ozola', items: [{ name: 'Serum' }] } }, 'order'));
    expect(line).toMatchObject({ name: 'api', order: { name: '[redacted]', items: [{ name: '[redacted]' }] } });
  });

  it("hides what an error carries (after pino's error serializer) and a child logger's bindings", () => {
    const err = Object.assign(new Error('provider refused'), { details: { recipient: '+37121234567' } });
    const [errorLine, childLine] = logged((l) => {
      l.error({ err }, 'send failed');
      l.child({ recipient: 'anna@example.com', orderId: 'o-2' }).info('bound');
    });
    expect(errorLine).toMatchObject({ err: { message: 'provider refused', details: { recipient: '[redacted]' } } });
    expect(childLine).toMatchObject({ recipient: '[redacted]', orderId: 'o-2' });
  });

  it('writes a line with nothing to hide exactly as pino made it', () => {
    const line =
      '{"level":30,"time":1,"pid":2,"hostname":"vm","name":"api","req":{"id":"r-1","method":"POST","path":"/v1/orders"},' +
      '"res":{"statusCode":201},"responseTime":12,"msg":"request completed"}\n';
    expect(redactLine(line)).toBe(line);
    // A key's name inside a text is not a key.
    const text = '{"level":30,"name":"api","msg":"the \\"email\\": field was empty"}\n';
    expect(redactLine(text)).toBe(text);
  });

  it('leaves a key deeper than three levels as it is (the bound it has always had)', () => {
    const [line] = logged((l) =>
      l.info({ a: { b: { c: { email: 'c@example.com', d: { email: 'd@example.com' } } } } }, 'deep'),
    );
    expect(line).toMatchObject({ a: { b: { c: { email: '[redacted]', d: { email: 'd@example.com' } } } } });
  });
});
