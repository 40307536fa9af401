import type { ChannelId, PlatformGateway } from './ports.js';

/** Finds the platform that owns a channel id (`platform:workspace:channel`). */
export class GatewayRegistry {
  private readonly gateways = new Map<string, PlatformGateway>();

  add(gateway: PlatformGateway): void {
    this.gateways.set(gateway.platform, gateway);
  }

  forChannel(channelId: ChannelId): PlatformGateway | undefined {
    return this.gateways.get(platformOf(channelId));
  }
}

export function platformOf(channelId: ChannelId): string {
  return channelId.split(':', 1)[0] ?? '';
}
