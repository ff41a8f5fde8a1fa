import { Type } from 'typebox';

/** metav1.Time: RFC 3339 to the second, `2024-01-01T00:00:00Z`. */
export const Time = (description: string) => Type.String({ format: 'date-time', description });

/** metav1.MicroTime: RFC 3339 to the microsecond, `2024-01-01T00:00:00.000000Z`. */
export const MicroTime = (description: string) => Type.String({ format: 'date-time', description });

export const Int32 = (description: string) => Type.Integer({ format: 'int32', description });
