/*
 * Compile-time only (`npm run typecheck`; nothing runs): the client package's request types
 * (packages/antom-client/src/request-types.ts, written out because the package ships alone) are exactly the
 * shapes of the DTOs the gateway validates with. A field added, removed or retyped on either side fails here.
 */
import type {
  CancelRequestShape,
  CaptureRequestShape,
  InquiryPaymentRequestShape,
  InquiryRefundRequestShape,
  PayRequestShape,
  RefundRequestShape,
} from '../../packages/antom-client/src/request-types';
import type { CancelRequestDto, CaptureRequestDto, InquiryRefundRequestDto, RefundRequestDto } from '../../src/antom/requests/lifecycle.dto';
import type { InquiryPaymentRequestDto, PayRequestDto } from '../../src/antom/requests/pay.dto';

/** Deep structural equality (both directions, optional and readonly modifiers included). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Plain data of a class instance type: nested classes become their fields. */
type Plain<T> = T extends Array<infer E> ? Plain<E>[] : T extends object ? { [K in keyof T]: Plain<T[K]> } : T;
type Holds<T extends true> = T;

export type RequestTypesMatch = [
  Holds<Equal<Plain<PayRequestShape>, Plain<PayRequestDto>>>,
  Holds<Equal<Plain<InquiryPaymentRequestShape>, Plain<InquiryPaymentRequestDto>>>,
  Holds<Equal<Plain<CaptureRequestShape>, Plain<CaptureRequestDto>>>,
  Holds<Equal<Plain<CancelRequestShape>, Plain<CancelRequestDto>>>,
  Holds<Equal<Plain<RefundRequestShape>, Plain<RefundRequestDto>>>,
  Holds<Equal<Plain<InquiryRefundRequestShape>, Plain<InquiryRefundRequestDto>>>,
];
