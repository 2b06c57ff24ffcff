package io.railrush.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class RailrushApplication {

  public static void main(String[] args) {
    SpringApplication.run(RailrushApplication.class, args);
  }
}
