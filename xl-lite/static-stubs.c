/* Linked into the static xlite only. Debian's libxml2.a can convert
 * documents in exotic encodings through ICU, whose static data alone is
 * 30 MB; xlite reads UTF-8/ASCII domain XML (libxml2's built-in
 * converters, and iconv for the rest). These definitions stand in for the
 * seven ICU entry points libxml2 references, so the linker never pulls ICU
 * in: opening an ICU converter fails, and libxml2 reports the encoding as
 * unsupported. The ICU headers give the real prototypes and the versioned
 * names (ucnv_open -> ucnv_open_72). */
#if defined(__has_include)
#if __has_include(<unicode/ucnv.h>)
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>

UConverter *ucnv_open(const char *name, UErrorCode *err)
{
	(void)name;
	if (err)
		*err = U_UNSUPPORTED_ERROR;
	return NULL;
}

void ucnv_close(UConverter *cnv)
{
	(void)cnv;
}

void ucnv_convertEx(UConverter *target_cnv, UConverter *source_cnv, char **target,
		    const char *target_limit, const char **source, const char *source_limit,
		    UChar *pivot_start, UChar **pivot_source, UChar **pivot_target,
		    const UChar *pivot_limit, UBool reset, UBool flush, UErrorCode *err)
{
	(void)target_cnv; (void)source_cnv; (void)target; (void)target_limit;
	(void)source; (void)source_limit; (void)pivot_start; (void)pivot_source;
	(void)pivot_target; (void)pivot_limit; (void)reset; (void)flush;
	if (err)
		*err = U_UNSUPPORTED_ERROR;
}

void ucnv_setFromUCallBack(UConverter *cnv, UConverterFromUCallback action,
			   const void *context, UConverterFromUCallback *old_action,
			   const void **old_context, UErrorCode *err)
{
	(void)cnv; (void)action; (void)context; (void)old_action; (void)old_context;
	if (err)
		*err = U_UNSUPPORTED_ERROR;
}

void ucnv_setToUCallBack(UConverter *cnv, UConverterToUCallback action,
			 const void *context, UConverterToUCallback *old_action,
			 const void **old_context, UErrorCode *err)
{
	(void)cnv; (void)action; (void)context; (void)old_action; (void)old_context;
	if (err)
		*err = U_UNSUPPORTED_ERROR;
}

void UCNV_FROM_U_CALLBACK_STOP(const void *context, UConverterFromUnicodeArgs *args,
			       const UChar *units, int32_t length, UChar32 cp,
			       UConverterCallbackReason reason, UErrorCode *err)
{
	(void)context; (void)args; (void)units; (void)length; (void)cp; (void)reason;
	(void)err;
}

void UCNV_TO_U_CALLBACK_STOP(const void *context, UConverterToUnicodeArgs *args,
			     const char *units, int32_t length,
			     UConverterCallbackReason reason, UErrorCode *err)
{
	(void)context; (void)args; (void)units; (void)length; (void)reason; (void)err;
}
#endif
#endif

/* ISO C wants a translation unit to declare something. */
typedef int xlite_static_stubs_unit;
