module consent-form.example/verify

go 1.19
