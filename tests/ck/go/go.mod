module paracell/tests/ck/go

go 1.19
