/**
 * The front of the endpoint, in front of every service: it routes each request, refuses
 * foreign hosts and cross-site browser requests, injects the configured faults and verifies
 * the SigV4 signature, answering every failure in the service's own protocol. Nothing a
 * client sends (malformed headers, broken bodies, dropped connections) escapes as an unhandled
 * error: the endpoint keeps serving.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '@logflow/shared-types';
import { FAULTS_ENV, type FaultInjector } from './faults.js';
import { refusal } from './guard.js';
import { readBody, replayRequest } from './http-util.js';
import { sendFrontError, type ErrorDialect, type FrontError } from './protocol-errors.js';
import { classifyRequest, SERVICE_PROFILES, type ServiceName } from './router.js';
import type { RequestCounter } from './request-counter.js';
import { verifySignature, type Credentials, type SigningContext } from './sigv4.js';

/** A service behind the front; it sees only requests whose signature was verified. */
export interface ServiceHandler {
  handle(req: IncomingMessage, res: ServerResponse, signing: SigningContext): void;
}

/** Largest body read before verifying it (DynamoDB's request limit; CloudWatch's is lower and checked by it). */
const MAX_BUFFERED_BODY = 16 * 1024 * 1024;

export interface FrontOptions {
  services: Record<ServiceName, ServiceHandler>;
  credentials: Credentials;
  faults: FaultInjector;
  /** The endpoint's clock (request-time checks of signatures). */
  clock: Clock;
  /** The port the endpoint listens on, which the `Host` of every request must name. */
  port: () => number;
  /** Counts the requests that reach a service (opt-in). */
  counter?: RequestCounter;
}

const INJECTED = `(injected by ${FAULTS_ENV})`;

export function frontHandler(options: FrontOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // a client going away mid-request must not surface as an unhandled 'error' event
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    // The time signatures are checked against, as AWS sends its own: the SDK corrects its clock
    // skew from it, so clients sign with that clock even when it is not theirs.
    res.sendDate = false;
    res.setHeader('Date', options.clock().toUTCString());
    let dialect: ErrorDialect = { protocol: 'rest-xml' };
    const failed = (error: unknown) =>
      sendFrontError(res, dialect, 'Internal', error instanceof Error ? error.message : String(error));
    try {
      const service = classifyRequest(req.headers, req.method, req.url);
      const profile = SERVICE_PROFILES[service];
      dialect = profile.dialect(req.headers);
      const refused = refusal(req.headers, options.port());
      if (refused !== undefined) return answerAfterBody(req, res, dialect, 'Forbidden', refused);

      const fault = options.faults.next();
      if (fault === 'reset') {
        req.socket.resetAndDestroy();
        return;
      }
      if (fault === 'throttle') {
        const message =
          dialect.protocol === 'rest-xml' ? 'Please reduce your request rate.' : 'Rate exceeded';
        return answerAfterBody(req, res, dialect, 'Throttled', `${message} ${INJECTED}`);
      }
      if (fault === 'error') {
        const message =
          dialect.protocol === 'rest-xml'
            ? 'We encountered an internal error. Please try again.'
            : 'Internal server error';
        return answerAfterBody(req, res, dialect, 'Internal', `${message} ${INJECTED}`);
      }

      const handler = options.services[service];
      const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
      const verify = (body?: Buffer) =>
        verifySignature(request, {
          signingName: profile.signingName,
          credentials: options.credentials,
          now: options.clock(),
          ...(body === undefined ? {} : { body }),
        });
      if (!profile.buffersBody) {
        verify()
          .then((verified) => {
            if (!verified.ok) return answerAfterBody(req, res, dialect, verified.error, verified.message);
            options.counter?.observe(service, req);
            handler.handle(req, res, verified.signing);
          })
          .catch(failed);
        return;
      }
      readBody(req, MAX_BUFFERED_BODY, () => new TooLarge())
        .then(async (body) => {
          const verified = await verify(body);
          if (!verified.ok) return sendFrontError(res, dialect, verified.error, verified.message);
          options.counter?.observe(service, req, body, res);
          handler.handle(replayRequest(req, body, req.headers), res, verified.signing);
        })
        .catch((error: unknown) => {
          if (error instanceof TooLarge) sendFrontError(res, dialect, 'TooLarge', error.message);
          else if (req.destroyed && !req.complete) res.destroy();
          else failed(error);
        });
    } catch (error) {
      failed(error);
    }
  };
}

class TooLarge extends Error {
  constructor() {
    super(`Request body exceeded the limit of ${MAX_BUFFERED_BODY} bytes.`);
  }
}

/** Answers once the request body has been read (and dropped), so the client sees the answer, not a broken pipe. */
function answerAfterBody(
  req: IncomingMessage,
  res: ServerResponse,
  dialect: ErrorDialect,
  error: FrontError,
  message: string,
): void {
  const send = () => sendFrontError(res, dialect, error, message);
  if (req.complete) return send();
  req.once('end', send);
  req.once('close', () => {
    if (!req.complete) res.destroy();
  });
  req.resume();
}
