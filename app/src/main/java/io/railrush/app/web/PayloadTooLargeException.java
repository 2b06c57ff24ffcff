package io.railrush.app.web;

import java.io.IOException;

/** The request body passed the limit while it was being read (no or a false Content-Length). */
class PayloadTooLargeException extends IOException {
  PayloadTooLargeException(long limit) {
    super("request body is larger than " + limit + " bytes");
  }
}
