import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import type { S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js';
import { tlsOnlyBucketPolicy } from '../policies.js';

export interface SecureBucketProps {
  bucketName: string;
  /** SSE-KMS with this key (and an S3 Bucket Key); SSE-S3 otherwise. */
  kmsKeyArn?: string;
  /** Days overwritten or deleted versions are kept. */
  noncurrentVersionDays: number;
  /** Expire current objects under a prefix after some days. */
  expirations: { id: string; prefix: string; days: number }[];
}

/**
 * A private bucket with the settings every logflow bucket shares: no public access, bucket-owner
 * ownership, default encryption, TLS-only policy, versioning and lifecycle housekeeping.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', { bucket: props.bucketName });
    const bucket = this.bucket.id;

    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [
        props.kmsKeyArn
          ? {
              applyServerSideEncryptionByDefault: {
                sseAlgorithm: 'aws:kms',
                kmsMasterKeyId: props.kmsKeyArn,
              },
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
      ],
    });
    new S3BucketPolicy(this, 'tls-only', {
      bucket,
      policy: JSON.stringify(tlsOnlyBucketPolicy(this.bucket.arn)),
    });
    const versioning = new S3BucketVersioningA(this, 'versioning', {
      bucket,
      versioningConfiguration: { status: 'Enabled' },
    });

    const rules: S3BucketLifecycleConfigurationRule[] = [
      {
        id: 'housekeeping',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays }],
        expiration: [{ expiredObjectDeleteMarker: true }],
      },
      ...props.expirations.map((e): S3BucketLifecycleConfigurationRule => ({
        id: e.id,
        status: 'Enabled',
        filter: [{ prefix: e.prefix }],
        expiration: [{ days: e.days }],
      })),
    ];
    // Lifecycle rules on a versioned bucket must wait for versioning to be configured.
    new S3BucketLifecycleConfiguration(this, 'lifecycle', { bucket, rule: rules, dependsOn: [versioning] });
  }
}
