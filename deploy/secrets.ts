/**
 * The Secrets starter.yaml refers to and never creates (README's Deploying to Kubernetes says how to make them): their
 * names and keys are Prow's where Prow has them (`hmac-token`/`hmac`, `github-token`/`cert`+`appid`,
 * `gcs-credentials`/`service-account.json`).
 */
export const secrets = {
  hmac: { name: 'hmac-token', keys: { hmac: 'hmac' } },
  github: { name: 'github-token', keys: { token: 'token', appId: 'appid', privateKey: 'cert' } },
  gcs: { name: 'gcs-credentials', keys: { serviceAccount: 'service-account.json' }, mountPath: '/etc/gcs-credentials' },
  s3: { name: 's3-credentials', keys: { accessKeyId: 'access_key_id', secretAccessKey: 'secret_access_key' } },
} as const;
