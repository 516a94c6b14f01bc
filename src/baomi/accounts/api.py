from ninja import Router

router = Router()


class TokenAuth:  # replaced by the accounts work
    pass
