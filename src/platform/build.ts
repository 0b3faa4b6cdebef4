import { Construct } from 'constructs';
import { readPlatformFile } from './file';
import { Platform, PlatformProps } from './platform';
import { fail } from '../model/errors';
import { closeMatches } from '../model/suggest';
import { Variant } from '../variants/variant';

/**
 * Builds a platform in a fresh construct tree of its own (what the CLI
 * commands render from).
 * @internal
 */
export function buildPlatform(props: PlatformProps): Platform {
  return new Platform(new Construct(undefined as any, ''), 'platform', props);
}

/**
 * Loads the platform props from a platform file (or the embedded default
 * platform) and applies a variant override (`--variant`, with a "did you
 * mean" for typos).
 * @internal
 */
export function loadPlatformProps(config?: string, variant?: string): PlatformProps {
  if (variant !== undefined && !Variant.names().includes(variant)) {
    const near = closeMatches(variant, Variant.names(), 3);
    fail('--variant', variant, `is not a variant${near.length ? `; did you mean ${near.join(' or ')}?` : ''} (allowed: ${Variant.names().join(', ')})`);
  }
  const props: PlatformProps = config ? readPlatformFile(config) : {};
  return variant ? { ...props, variant } : props;
}
