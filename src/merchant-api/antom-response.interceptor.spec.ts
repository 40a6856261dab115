import { CallHandler, ExecutionContext } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { mock } from 'jest-mock-extended';
import { lastValueFrom, of, throwError } from 'rxjs';

import { AntomError } from '../antom/antom-error';
import { AntomResponseInterceptor } from './antom-response.interceptor';
import { ResponseSigner } from './response-signer';

function setup() {
  const signer = mock<ResponseSigner>();
  const req = { url: '/ams/api/v1/payments/pay' } as FastifyRequest;
  const reply = {} as FastifyReply;
  const ctx = mock<ExecutionContext>();
  ctx.switchToHttp.mockReturnValue({ getRequest: () => req, getResponse: () => reply } as never);
  return { signer, req, reply, ctx, interceptor: new AntomResponseInterceptor(signer) };
}

describe('AntomResponseInterceptor', () => {
  it('every handler answer goes out through the signer: its signed JSON is the response', async () => {
    const { signer, req, reply, ctx, interceptor } = setup();
    signer.send.mockReturnValue('{"signed":true}');
    const body = { result: { resultStatus: 'S' }, paymentId: 'gwp_1' };
    const next: CallHandler = { handle: () => of(body) };
    expect(await lastValueFrom(interceptor.intercept(ctx, next))).toBe('{"signed":true}');
    expect(signer.send).toHaveBeenCalledWith(req, reply, body);
  });

  it('a thrown refusal is not signed here (the Antom filter answers it): the error passes on untouched', async () => {
    const { signer, ctx, interceptor } = setup();
    const refusal = new AntomError('PARAM_ILLEGAL', 'bad');
    const next: CallHandler = { handle: () => throwError(() => refusal) };
    await expect(lastValueFrom(interceptor.intercept(ctx, next))).rejects.toBe(refusal);
    expect(signer.send).not.toHaveBeenCalled();
  });

  it('nothing is signed before the handler answers', () => {
    const { signer, ctx, interceptor } = setup();
    interceptor.intercept(ctx, { handle: () => of({}) });
    expect(signer.send).not.toHaveBeenCalled();
  });
});
