import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';

/**
 * The base URL this instance's HTTP server is bound to, read from the server when asked: links built at request
 * time are right even when the port was chosen by the OS (port 0 in tests), and nothing is patched after listen.
 */
@Injectable()
export class ServiceUrl {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  get(): string {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as { address(): AddressInfo | string | null } | undefined;
    const address = server?.address();
    if (!address || typeof address === 'string') throw new Error('the HTTP server is not listening yet');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }
}
