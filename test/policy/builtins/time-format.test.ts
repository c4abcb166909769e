import { timeFormat } from "../../../src/policy/builtins/time-format.js";

// Expected values come from `opa eval --strict-builtin-errors` (opa v1.22.3).
const SPRING = 1710054000000000000; // 2024-03-10T07:00:00Z, just after the US DST change

test.each([
  [1709164800123456768, "2024-02-29T00:00:00.123456768Z"],
  [1709164800000000000, "2024-02-29T00:00:00Z"],
  [[1709164800120000000, "America/New_York"], "2024-02-28T19:00:00.12-05:00"],
  [[SPRING, "America/New_York", "Mon Jan _2 15:04:05 MST 2006"], "Sun Mar 10 03:00:00 EDT 2024"],
  [
    [SPRING, "Asia/Kolkata", "2006-01-02 3:04PM Z0700 -07:00 .000 .999 002 January Monday"],
    "2024-03-10 12:30PM +0530 +05:30 .000  070 March Sunday",
  ],
  [[SPRING, "", "06/1/2 03 4 5 pm Z07:00"], "24/3/10 07 0 0 am Z"],
  [[1, "UTC", "2006-01-02T15:04:05.999999999Z07:00"], "1970-01-01T00:00:00.000000001Z"],
  [[1710054000123000000, "UTC", "05,000"], "00,123"],
  [[SPRING, "Asia/Kolkata", "MST"], "IST"],
  [[SPRING, "Europe/Berlin", "MST -07 Z07 __2 _2 Jan"], "CET +01 +01  70 10 Mar"],
  [[SPRING, "America/Sao_Paulo", "MST"], "-03"],
  [[SPRING, "UTC", "RFC1123"], "Sun, 10 Mar 2024 07:00:00 UTC"],
  [[SPRING, "America/New_York", "ANSIC"], "Sun Mar 10 03:00:00 2024"],
  [[SPRING, "America/New_York", "UnixDate"], "Sun Mar 10 03:00:00 EDT 2024"],
  [[SPRING, "America/New_York", "RubyDate"], "Sun Mar 10 03:00:00 -0400 2024"],
  [[SPRING, "America/New_York", "RFC822"], "10 Mar 24 03:00 EDT"],
  [[SPRING, "America/New_York", "RFC822Z"], "10 Mar 24 03:00 -0400"],
  [[SPRING, "America/New_York", "RFC850"], "Sunday, 10-Mar-24 03:00:00 EDT"],
  [[SPRING, "America/New_York", "RFC1123Z"], "Sun, 10 Mar 2024 03:00:00 -0400"],
  [[SPRING, "America/New_York", "RFC3339"], "2024-03-10T03:00:00-04:00"],
  [[SPRING, "America/New_York", "RFC3339Nano"], "2024-03-10T03:00:00-04:00"],
  // Names OPA does not know are plain layouts without verbs.
  [[SPRING, "America/New_York", "Kitchen"], "Kitchen"],
  [[SPRING, "America/New_York", "DateOnly"], "DateOnly"],
])("time.format(%j) = %j", (arg, want) => {
  expect(timeFormat(arg)).toBe(want);
});

test.each([
  [[SPRING, "Bad/Zone"], "time.format: unknown time zone Bad/Zone"],
  ["x", "time.format: invalid argument(s)"],
  [[1, "UTC", "x", 1], "time.format: invalid argument(s)"],
])("time.format(%j) throws", (arg, msg) => {
  expect(() => timeFormat(arg)).toThrow(msg);
});
