/*
 * Request models of Antom's .NET SDK as its System.Text.Json serialiser writes them: every public property in
 * declaration order (base class first) with its C# type, generated from alipay/global-open-sdk-dotnet 2.2.5
 * (commit 48aa809), ams-dotnet/src/com/alipay/ams/api/{entities,request/pay}/*.cs, for the six payment APIs.
 * JsonSerializerOptionsFactory.WriteNotIndented has IgnoreNullValues = false: an unset property is written as
 * null, and an unset non-nullable enum as its first member (DOTNET_ENUM_DEFAULT). Regenerate from the source.
 */
export const DOTNET_MODELS: Record<string, Array<[string, string]>> = {
  AMSRequest: [],
  Address: [['Region', 'string'], ['State', 'string'], ['City', 'string'], ['Address1', 'string'], ['Address2', 'string'], ['ZipCode', 'string'], ['Label', 'string'], ['Address3', 'string']],
  AgreementInfo: [['AuthState', 'string'], ['UserLoginId', 'string'], ['UserLoginType', 'string'], ['DisplayUserLoginId', 'string']],
  AlipayCaptureRequest: [['CaptureRequestId', 'string'], ['PaymentId', 'string'], ['CaptureAmount', 'Amount'], ['IsLastCapture', 'bool?'], ['CaptureType', 'string'], ['Transit', 'Transit']],
  AlipayInquiryRefundRequest: [['RefundRequestId', 'string'], ['RefundId', 'string'], ['MerchantAccountId', 'string']],
  AlipayPayCancelRequest: [['PaymentId', 'string'], ['PaymentRequestId', 'string'], ['MerchantAccountId', 'string']],
  AlipayPayQueryRequest: [['PaymentRequestId', 'string'], ['PaymentId', 'string'], ['MerchantAccountId', 'string']],
  AlipayPayRequest: [['Metadata', 'string'], ['CustomizedInfo', 'CustomizedInfo'], ['PaymentQuote', 'Quote'], ['AgreementInfo', 'AgreementInfo'], ['SubscriptionInfo', 'SubscriptionInfo'], ['ProcessingAmount', 'Amount'], ['ProductCode', 'ProductCodeType'], ['PaymentRequestId', 'string'], ['Order', 'Order'], ['PaymentAmount', 'Amount'], ['PaymentMethod', 'PaymentMethod'], ['PaymentExpiryTime', 'string'], ['PaymentRedirectUrl', 'string'], ['PaymentNotifyUrl', 'string'], ['PaymentFactor', 'PaymentFactor'], ['SettlementStrategy', 'SettlementStrategy'], ['CreditPayPlan', 'CreditPayPlan'], ['AppId', 'string'], ['MerchantRegion', 'string'], ['UserRegion', 'string'], ['Env', 'Env'], ['PayToMethod', 'PaymentMethod'], ['IsAuthorization', 'bool?'], ['Merchant', 'Merchant'], ['PaymentVerificationData', 'PaymentVerificationData'], ['ExtendInfo', 'string'], ['MerchantAccountId', 'string'], ['DualOfflinePayment', 'bool?'], ['SubscriptionId', 'string'], ['TaxCalculationId', 'string']],
  AlipayRefundRequest: [['Metadata', 'string'], ['CustomizedInfo', 'CustomizedInfo'], ['CaptureId', 'string'], ['RefundToBankInfo', 'RefundToBankInfo'], ['RefundRequestId', 'string'], ['PaymentId', 'string'], ['ReferenceRefundId', 'string'], ['RefundAmount', 'Amount'], ['RefundReason', 'string'], ['RefundNotifyUrl', 'string'], ['IsAsyncRefund', 'bool?'], ['ExtendInfo', 'string'], ['RefundDetails', 'List<RefundDetail>'], ['RefundSourceAccountNo', 'string'], ['ActualRefundAmount', 'Amount']],
  Amount: [['Currency', 'string'], ['Value', 'string']],
  AncillaryData: [['Services', 'List<Service>'], ['ConnectedTicketNumber', 'string']],
  BrowserInfo: [['AcceptHeader', 'string'], ['JavaEnabled', 'bool?'], ['JavaScriptEnabled', 'bool?'], ['Language', 'string'], ['UserAgent', 'string']],
  Buyer: [['ReferenceBuyerId', 'string'], ['BuyerName', 'UserName'], ['BuyerPhoneNo', 'string'], ['BuyerEmail', 'string'], ['BuyerRegistrationTime', 'string'], ['IsAccountVerified', 'bool?'], ['SuccessfulOrderCount', 'int?'], ['BuyerPhoneNoContryCode', 'string']],
  CreditPayPlan: [['InstallmentNum', 'int?'], ['Interval', 'string'], ['CreditPayFeeType', 'CreditPayFeeType'], ['FeePercentage', 'int?'], ['InterestRate', 'string']],
  CustomizedInfo: [['CustomizedField1', 'string'], ['CustomizedField2', 'string'], ['CustomizedField3', 'string'], ['CustomizedField4', 'string'], ['CustomizedField5', 'string']],
  Declaration: [['DeclarationBizScene', 'DeclarationBizSceneType'], ['DeclarationBeneficiaryId', 'string']],
  DeliveryEstimate: [['Minimum', 'DeliveryEstimateInfo'], ['Maximum', 'DeliveryEstimateInfo']],
  DeliveryEstimateInfo: [['Unit', 'string'], ['Value', 'int?']],
  Env: [['TerminalType', 'TerminalType'], ['OsType', 'OsType'], ['UserAgent', 'string'], ['DeviceTokenId', 'string'], ['ClientIp', 'string'], ['CookieId', 'string'], ['ExtendInfo', 'string'], ['StoreTerminalId', 'string'], ['StoreTerminalRequestTime', 'string'], ['BrowserInfo', 'BrowserInfo'], ['ColorDepth', 'string'], ['ScreenHeight', 'string'], ['ScreenWidth', 'string'], ['TimeZoneOffset', 'int?'], ['DeviceBrand', 'string'], ['DeviceModel', 'string'], ['DeviceLanguage', 'string'], ['DeviceId', 'string'], ['OsVersion', 'string']],
  Gaming: [['GameName', 'string'], ['ToppedUpUser', 'string'], ['ToppedUpEmail', 'string'], ['ToppedUpPhoneNo', 'string']],
  Goods: [['ReferenceGoodsId', 'string'], ['GoodsName', 'string'], ['GoodsCategory', 'string'], ['GoodsBrand', 'string'], ['GoodsUnitAmount', 'Amount'], ['GoodsQuantity', 'string'], ['GoodsSkuName', 'string'], ['GoodsUrl', 'string'], ['DeliveryMethodType', 'string'], ['GoodsImageUrl', 'string'], ['PriceId', 'string'], ['GoodsDiscountAmount', 'Amount'], ['GoodsEndsOnTime', 'string'], ['CrossSell', 'Goods']],
  Leg: [['DepartureTime', 'string'], ['ArrivalTime', 'string'], ['DepartureAddress', 'Address'], ['ArrivalAddress', 'Address'], ['CarrierName', 'string'], ['CarrierNo', 'string'], ['ClassType', 'ClassType'], ['DepartureAirportCode', 'string'], ['ArrivalAirportCode', 'string'], ['FareBasis', 'string'], ['CouponNumber', 'string'], ['FlightNumber', 'string'], ['PassengerNameRecord', 'string']],
  Lodging: [['HotelName', 'string'], ['HotelAddress', 'Address'], ['CheckInDate', 'string'], ['CheckOutDate', 'string'], ['NumberOfNights', 'int?'], ['NumberOfRooms', 'int?'], ['GuestNames', 'List<UserName>']],
  Merchant: [['ReferenceMerchantId', 'string'], ['MerchantMCC', 'string'], ['MerchantName', 'string'], ['MerchantDisplayName', 'string'], ['MerchantAddress', 'Address'], ['MerchantRegisterDate', 'string'], ['Store', 'Store'], ['MerchantType', 'MerchantType']],
  Order: [['ReferenceOrderId', 'string'], ['OrderDescription', 'string'], ['OrderAmount', 'Amount'], ['OrderDiscountAmount', 'Amount'], ['SubTotalOrderAmount', 'Amount'], ['Merchant', 'Merchant'], ['Goods', 'List<Goods>'], ['Shipping', 'Shipping'], ['Buyer', 'Buyer'], ['Env', 'Env'], ['ExtendInfo', 'string'], ['Transit', 'Transit'], ['Lodging', 'Lodging'], ['Gaming', 'Gaming'], ['NeedDeclaration', 'bool?'], ['Declaration', 'Declaration'], ['OrderType', 'string']],
  Passenger: [['PassengerName', 'UserName'], ['PassengerEmail', 'string'], ['PassengerPhoneNo', 'string'], ['PassengerId', 'string'], ['PassengerIdType', 'PassengerIdType'], ['PassengerCode', 'string']],
  PaymentFactor: [['IsPaymentEvaluation', 'bool?'], ['InStorePaymentScenario', 'InStorePaymentScenario'], ['PresentmentMode', 'PresentmentMode'], ['CaptureMode', 'string'], ['IsAuthorization', 'bool?']],
  PaymentMethod: [['PaymentMethodType', 'string'], ['PaymentMethodId', 'string'], ['Funding', 'FundingType'], ['CustomerId', 'string'], ['ExtendInfo', 'string'], ['RequireIssuerAuthentication', 'bool?'], ['PaymentMethodMetaData', 'Dictionary<string,Object>']],
  PaymentVerificationData: [['VerifyRequestId', 'string'], ['AuthenticationCode', 'string']],
  PeriodRule: [['PeriodType', 'PeriodType'], ['Period', 'int?'], ['Price', 'Amount'], ['PeriodCount', 'int?']],
  Quote: [['QuoteId', 'string'], ['QuoteCurrencyPair', 'string'], ['QuotePrice', 'decimal?'], ['QuoteStartTime', 'string'], ['QuoteExpiryTime', 'string'], ['Guaranteed', 'bool?'], ['ExchangeAmount', 'Amount']],
  RefundDetail: [['RefundAmount', 'Amount'], ['RefundFrom', 'RefundFromType']],
  RefundToBankInfo: [['BankCode', 'string'], ['AccountHolderName', 'UserName'], ['AccountNo', 'string']],
  Service: [['CategoryCode', 'string'], ['SubCategoryCode', 'string']],
  SettlementStrategy: [['SettlementCurrency', 'string']],
  Shipping: [['ShippingName', 'UserName'], ['ShippingAddress', 'Address'], ['ShippingCarrier', 'string'], ['ShippingPhoneNo', 'string'], ['ShipToEmail', 'string'], ['ShippingFeeId', 'string'], ['ShippingFee', 'Amount'], ['ShippingDescription', 'string'], ['DeliveryEstimate', 'DeliveryEstimate'], ['ShippingNumber', 'string'], ['Notes', 'string']],
  Store: [['ReferenceStoreId', 'string'], ['StoreName', 'string'], ['StoreMCC', 'string'], ['StoreDisplayName', 'string'], ['StoreTerminalId', 'string'], ['StoreOperatorId', 'string'], ['StoreAddress', 'Address'], ['StorePhoneNo', 'string']],
  SubscriptionInfo: [['SubscriptionId', 'string'], ['Description', 'string'], ['SubscriptionDescription', 'string'], ['Status', 'SubscriptionStatus'], ['SubscriptionStartTime', 'string'], ['SubscriptionEndTime', 'string'], ['PeriodType', 'PeriodType'], ['PeriodCount', 'int?'], ['PeriodRule', 'PeriodRule'], ['CurrentPeriodStart', 'string'], ['CurrentPeriodEnd', 'string'], ['CurrentPhaseNo', 'int?'], ['PaymentMethod', 'PaymentMethod'], ['PaymentAmount', 'Amount'], ['LastUpdateTime', 'string'], ['RelatedSubscriptionId', 'string'], ['TrialPlan', 'TrialPlan'], ['Trials', 'List<Trial>'], ['SubscriptionNotifyUrl', 'string'], ['SubscriptionExpiryTime', 'string'], ['AllowRetry', 'bool?'], ['MaxAmountFloor', 'Amount'], ['FixedAmount', 'Amount'], ['RetryMode', 'string'], ['SubscriptionOrderId', 'string']],
  Transit: [['TransitType', 'TransitType'], ['Legs', 'List<Leg>'], ['Passengers', 'List<Passenger>'], ['AgentCode', 'string'], ['AgentName', 'string'], ['TicketNumber', 'string'], ['TicketIssuerCode', 'string'], ['RestrictedTicketIndicator', 'string'], ['AncillaryData', 'AncillaryData']],
  Trial: [['TrialPeriod', 'int?'], ['TrialAmount', 'Amount'], ['TrialStartPeriod', 'int?'], ['TrialEndPeriod', 'int?']],
  TrialPhase: [['PhaseNo', 'int?'], ['TrialAmount', 'Amount']],
  TrialPlan: [['TrialEndTime', 'string'], ['FreeTrialDays', 'int?'], ['Phases', 'List<TrialPhase>']],
  UserName: [['FirstName', 'string'], ['MiddleName', 'string'], ['LastName', 'string'], ['FullName', 'string']],
};

/** default(T) of each non-nullable enum the models hold: its first member, written by SafeEnumConverterFactory. */
export const DOTNET_ENUM_DEFAULT: Record<string, string> = {'ClassType': 'FIRSTLEVEL', 'CreditPayFeeType': 'PERCENTAGE', 'DeclarationBizSceneType': 'AIRLINE', 'FundingType': 'CREDIT', 'InStorePaymentScenario': 'PaymentCode', 'MerchantType': 'INDIVIDUAL', 'OsType': 'IOS', 'PassengerIdType': 'PASSPORT', 'PeriodType': 'DAY', 'PresentmentMode': 'BUNDLE', 'ProductCodeType': 'CASHIER_PAYMENT', 'RefundFromType': 'SELLER', 'SubscriptionStatus': 'ACTIVE', 'TerminalType': 'WEB', 'TransitType': 'FLIGHT'};
