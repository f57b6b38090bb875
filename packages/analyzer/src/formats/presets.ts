/**
 * The named formats: each a format string (nginx or Apache dialect), a JSON field mapping, or a
 * hand-written parser, with an example line written from its tool's documentation.
 */
import type { LogFormat } from '@logflow/shared-types';
import { AlbParser } from './alb.js';
import { CloudFrontParser } from './cloudfront.js';
import { CompiledParser } from './compiled.js';
import { ElbParser } from './elb.js';
import { compileFormatString, type FormatDialect, type RoleChoice, type Segment } from './format-string.js';
import { HaproxyParser } from './haproxy.js';
import { candidatesOf, JsonLinesParser, type JsonFieldCandidates, type JsonFieldMapping } from './jsonl.js';
import { S3Parser } from './s3.js';
import type { LineParser } from './types.js';

export interface PresetOptions {
  /** Field names for `jsonl` (the generic JSON preset). */
  jsonFields?: JsonFieldMapping;
  /** Take the client from the first public address of X-Forwarded-For where the format logs it. */
  clientFromForwardedFor?: boolean;
}

export interface Preset {
  name: LogFormat;
  /** One line for `logflow formats`. */
  description: string;
  /** The format string, when the preset is one. */
  formatString?: { dialect: FormatDialect; source: string };
  /** A line in this format, from the tool's documentation. */
  example: string;
  create(options: PresetOptions): LineParser;
}

const COMBINED = `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"`;
const COMMON = `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent`;

/** A preset compiled from a format string (segments compiled once, shared by every parser). */
function formatPreset(
  name: LogFormat,
  description: string,
  dialect: FormatDialect,
  source: string,
  example: string,
  options: {
    extra?: Readonly<Record<string, RoleChoice>>;
    /** The line may end right after this field (as `common` lines under `combined`). */
    optionalAfter?: string;
    allowTrailing?: boolean;
  } = {},
): Preset {
  const segments = compileFormatString(dialect, source, options.extra);
  const optionalFrom =
    options.optionalAfter === undefined
      ? -1
      : segments.findIndex((s) => s.kind === 'field' && s.name === options.optionalAfter) + 1;
  return {
    name,
    description,
    formatString: { dialect, source },
    example,
    create: (o) =>
      new CompiledParser(name, segments, {
        optionalFrom,
        allowTrailing: options.allowTrailing ?? false,
        clientFromForwardedFor: o.clientFromForwardedFor ?? false,
      }),
  };
}

function jsonPreset(
  name: LogFormat,
  description: string,
  fields: JsonFieldCandidates,
  example: string,
): Preset {
  return { name, description, example, create: () => new JsonLinesParser(fields, name) };
}

function parserPreset(
  name: LogFormat,
  description: string,
  example: string,
  create: () => LineParser,
): Preset {
  return { name, description, example, create };
}

/** Every preset; detection tries them all. */
export const PRESETS: readonly Preset[] = [
  formatPreset(
    'combined',
    'nginx / Apache combined; common lines and trailing fields (not read) also accepted',
    'nginx',
    COMBINED,
    '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"',
    { optionalAfter: '$body_bytes_sent', allowTrailing: true },
  ),
  formatPreset(
    'common',
    'NCSA common log format (Apache `common`)',
    'nginx',
    COMMON,
    '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
  ),
  formatPreset(
    'nginx-timed',
    'nginx combined + $request_time $upstream_response_time',
    'nginx',
    `${COMBINED} $request_time $upstream_response_time`,
    '192.0.2.1 - - [22/Nov/2026:10:15:30 +0000] "GET /index.html HTTP/1.1" 200 5120 "-" "curl/8.5.0" 0.004 0.002, 0.001 : 0.001',
  ),
  formatPreset(
    'nginx-main',
    'nginx\'s default `main` (combined + "$http_x_forwarded_for")',
    'nginx',
    `${COMBINED} "$http_x_forwarded_for"`,
    '10.0.0.5 - - [22/Nov/2026:10:15:30 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0" "203.0.113.7, 10.0.0.2"',
  ),
  formatPreset(
    'nginx-main-ext',
    'NGINX Amplify `main_ext` (main + host, request and upstream timings)',
    'nginx',
    `${COMBINED} "$http_x_forwarded_for" "$host" sn="$server_name" rt=$request_time ua="$upstream_addr" us="$upstream_status" ut="$upstream_response_time" ul="$upstream_response_length" cs=$upstream_cache_status`,
    '10.0.0.5 - - [22/Nov/2026:10:15:30 +0000] "GET /api/items HTTP/1.1" 200 312 "-" "curl/8.5.0" "-" "shop.example.com" sn="shop.example.com" rt=0.045 ua="10.0.1.7:8080" us="200" ut="0.044" ul="312" cs=-',
  ),
  formatPreset(
    'ingress-nginx',
    'Kubernetes ingress-nginx default (combined + request length, time, upstreams)',
    'nginx',
    `${COMBINED} $request_length $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length $upstream_response_time $upstream_status $req_id`,
    '192.168.49.1 - - [22/Nov/2026:10:15:30 +0000] "GET /hello HTTP/1.1" 200 59 "-" "curl/8.5.0" 78 0.002 [default-web-8080] [] 10.244.0.5:8080 59 0.002 200 8b5f4c0a3d9e2f1b7c6a5e4d3c2b1a09',
  ),
  formatPreset(
    'apache-vhost-combined',
    'Apache `vhost_combined` (%v:%p before combined; the host is a dimension)',
    'apache',
    '%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"',
    'www.example.com:443 192.0.2.10 - - [22/Nov/2026:10:15:30 +0000] "GET /index.html HTTP/1.1" 200 5432 "-" "curl/8.5.0"',
  ),
  formatPreset(
    'traefik-clf',
    'Traefik access log, CLF (request count, router, server URL, duration in ms)',
    'nginx',
    `${COMBINED} $traefik_request_count "$traefik_router_name" "$traefik_server_url" \${traefik_duration_ms}ms`,
    '192.0.2.15 - - [22/Nov/2026:10:15:30 +0000] "GET /whoami HTTP/1.1" 200 412 "-" "curl/8.5.0" 12 "whoami@docker" "http://172.18.0.3:80" 3ms',
    { extra: { traefik_duration_ms: { role: 'latency', scale: 1 } } },
  ),
  formatPreset(
    'envoy',
    "Envoy's default access log format (duration in ms; client from X-Forwarded-For)",
    'nginx',
    '[$start_time] "$request" $status $response_flags $bytes_received $body_bytes_sent $duration $upstream_service_time "$http_x_forwarded_for" "$http_user_agent" "$request_id" "$authority" "$upstream_host"',
    '[2016-04-15T20:17:00.310Z] "POST /api/v1/locations HTTP/2" 204 - 154 0 226 100 "10.0.35.28" "nsq2http" "cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2" "locations" "tcp://10.0.2.1:80"',
    {
      extra: {
        start_time: { role: 'timeIso' },
        duration: { role: 'latency', scale: 1 },
        authority: { role: 'host' },
      },
    },
  ),
  parserPreset(
    'haproxy-http',
    "HAProxy's HTTP log (option httplog), with or without the syslog prefix",
    'Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 {1wt.eu} {} "GET /index.html HTTP/1.1"',
    () => new HaproxyParser(),
  ),
  parserPreset(
    'alb',
    'AWS Application Load Balancer access logs',
    'http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-"',
    () => new AlbParser(),
  ),
  parserPreset(
    'elb',
    'AWS Classic Load Balancer (ELB) access logs',
    '2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000073 0.001048 0.000057 200 200 0 29 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.38.0" - -',
    () => new ElbParser(),
  ),
  parserPreset(
    'cloudfront',
    'Amazon CloudFront standard logs (any historical field list; #Fields header optional)',
    '2019-12-04\t21:02:31\tLAX1\t392\t192.0.2.100\tGET\td111111abcdef8.cloudfront.net\t/index.html\t200\t-\tMozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)\t-\t-\tHit\tSOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==\td111111abcdef8.cloudfront.net\thttps\t23\t0.001\t-\tTLSv1.2\tECDHE-RSA-AES128-GCM-SHA256\tHit\tHTTP/2.0\t-\t-\t11040\t0.001\tHit\ttext/html\t78\t-\t-',
    () => new CloudFrontParser(),
  ),
  parserPreset(
    's3',
    'Amazon S3 server access logs (old and new field counts)',
    '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DOC-EXAMPLE-BUCKET1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 3E57427F3EXAMPLE REST.GET.VERSIONING - "GET /DOC-EXAMPLE-BUCKET1?versioning HTTP/1.1" 200 - 113 - 7 - "-" "S3Console/0.4" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader DOC-EXAMPLE-BUCKET1.s3.us-west-1.amazonaws.com TLSV1.2 arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP Yes',
    () => new S3Parser(),
  ),
  jsonPreset(
    'traefik-json',
    'Traefik access log, JSON (Duration in ns)',
    {
      time: ['StartUTC', 'time'],
      method: ['RequestMethod'],
      path: ['RequestPath'],
      status: ['DownstreamStatus'],
      bytes: ['DownstreamContentSize'],
      latency: [['Duration', 'ns']],
      client: ['ClientHost', 'ClientAddr'],
      userAgent: ['request_User-Agent'],
      host: ['RequestHost'],
      required: ['DownstreamStatus', 'Duration'],
    },
    '{"ClientAddr":"192.0.2.15:52064","ClientHost":"192.0.2.15","ClientPort":"52064","DownstreamContentSize":412,"DownstreamStatus":200,"Duration":3071002,"OriginContentSize":412,"OriginDuration":2890234,"OriginStatus":200,"Overhead":180768,"RequestAddr":"whoami.example.com","RequestContentSize":0,"RequestCount":12,"RequestHost":"whoami.example.com","RequestMethod":"GET","RequestPath":"/whoami","RequestPort":"-","RequestProtocol":"HTTP/1.1","RequestScheme":"http","RetryAttempts":0,"RouterName":"whoami@docker","ServiceName":"whoami@docker","StartUTC":"2026-11-22T10:15:30.123456789Z","entryPointName":"web","level":"info","msg":"","request_User-Agent":"curl/8.5.0","time":"2026-11-22T10:15:30Z"}',
  ),
  jsonPreset(
    'caddy-json',
    'Caddy access log, JSON (duration in seconds, ts in epoch seconds)',
    {
      time: ['ts'],
      method: ['request.method'],
      path: ['request.uri'],
      status: ['status'],
      bytes: ['size'],
      latency: [['duration', 's']],
      client: ['request.client_ip', 'request.remote_ip'],
      userAgent: ['request.headers.User-Agent'],
      host: ['request.host'],
      required: ['request.uri', 'duration', 'status'],
    },
    '{"level":"info","ts":1764670530.5241024,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"192.0.2.20","remote_port":"41342","client_ip":"192.0.2.20","proto":"HTTP/2.0","method":"GET","host":"example.com","uri":"/docs?x=1","headers":{"User-Agent":["curl/8.5.0"],"Accept":["*/*"]}},"bytes_read":0,"user_id":"","duration":0.000929675,"size":10900,"status":200,"resp_headers":{"Content-Type":["text/html; charset=utf-8"]}}',
  ),
  jsonPreset(
    'envoy-json',
    "Envoy JSON access log with the default format's fields (as Istio writes it)",
    {
      time: ['start_time'],
      method: ['method'],
      path: ['path'],
      status: ['response_code'],
      bytes: ['bytes_sent'],
      latency: [['duration', 'ms']],
      client: ['downstream_remote_address', 'x_forwarded_for'],
      userAgent: ['user_agent'],
      host: ['authority'],
      required: ['response_code', 'duration'],
    },
    '{"start_time":"2026-11-22T10:15:30.310Z","method":"POST","path":"/api/v1/locations","protocol":"HTTP/2","response_code":204,"response_flags":"-","bytes_received":154,"bytes_sent":0,"duration":226,"upstream_service_time":"100","x_forwarded_for":"10.0.35.28","user_agent":"nsq2http","request_id":"cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2","authority":"locations","upstream_host":"10.0.2.1:80","downstream_remote_address":"192.0.2.30:51234"}',
  ),
  jsonPreset(
    'apigateway-json',
    'Amazon API Gateway access logs, JSON ($context variables; responseLatency in ms)',
    {
      time: ['requestTime', 'requestTimeEpoch'],
      method: ['httpMethod'],
      path: ['path', 'resourcePath', 'routeKey'],
      status: ['status'],
      bytes: ['responseLength'],
      latency: [
        ['responseLatency', 'ms'],
        ['integrationLatency', 'ms'],
      ],
      client: ['ip', 'sourceIp'],
      userAgent: ['userAgent'],
      host: ['domainName'],
      required: ['requestId', 'status'],
    },
    '{"requestId":"c6af9ac6-7b61-11e6-9a41-93e8deadbeef","ip":"192.0.2.40","caller":"-","user":"-","requestTime":"22/Nov/2026:10:15:30 +0000","httpMethod":"GET","resourcePath":"/pets/{petId}","status":"200","protocol":"HTTP/1.1","responseLength":"1024"}',
  ),
  {
    name: 'jsonl',
    description: 'JSON lines with usual field names (or a field mapping)',
    example:
      '{"time":"2026-11-22T10:15:30.123Z","remote_addr":"192.0.2.50","request_method":"GET","request_uri":"/account","status":401,"body_bytes_sent":360,"request_time":0.034,"http_user_agent":"curl/8.5.0"}',
    create: (o) => new JsonLinesParser(candidatesOf(o.jsonFields), 'jsonl'),
  },
];

const BY_NAME = new Map<string, Preset>(PRESETS.map((preset) => [preset.name, preset]));

/** The preset named `name`, or undefined. */
export function presetNamed(name: string): Preset | undefined {
  return BY_NAME.get(name);
}

/** A parser for a format string the user gave (`--log-format` / `--apache-format`). */
export function formatStringParser(
  dialect: FormatDialect,
  source: string,
  options: PresetOptions = {},
): LineParser {
  const segments: Segment[] = compileFormatString(dialect, source);
  return new CompiledParser(dialect === 'nginx' ? 'nginx-format' : 'apache-format', segments, {
    clientFromForwardedFor: options.clientFromForwardedFor ?? false,
  });
}
