# Turn libtool/parse/domain.rng into a C string, so the binary carries its schema.
# Character by character: gsub's handling of backslashes differs between awks.
BEGIN {
	print "/* Generated from libtool/parse/domain.rng by libtool/parse/rng2c.awk: do not edit. */"
	print "extern const char xlite_domain_rng[];"
	print "const char xlite_domain_rng[] ="
}
{
	out = ""
	for (i = 1; i <= length($0); i++) {
		c = substr($0, i, 1)
		if (c == "\\")
			out = out "\\\\"
		else if (c == "\"")
			out = out "\\\""
		else if (c == "\t")
			out = out "\\t"
		else
			out = out c
	}
	printf "\t\"%s\\n\"\n", out
}
END { print "\t;" }
