package dev.mmkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.CodeAttribute;
import org.junit.jupiter.api.Test;

class ReturnPollTest {

  @Test
  void shouldKeepPassTooLargeForTheJitToInline() throws IOException {
    ClassModel model;
    try (InputStream in = ReturnPoll.class.getResourceAsStream("ReturnPoll.class")) {
      model = ClassFile.of().parse(in.readAllBytes());
    }
    MethodModel pass =
        model.methods().stream()
            .filter(method -> method.methodName().equalsString("pass"))
            .findFirst()
            .orElseThrow();
    int size =
        pass.findAttribute(java.lang.classfile.Attributes.code())
            .map(CodeAttribute::codeLength)
            .orElseThrow();
    assertThat(size).isGreaterThan(ReturnPoll.MINIMUM_SIZE);
  }

  @Test
  void shouldUseTheReturnPollOnHotSpot() {
    assertThat(Platform.faultFence()).isEqualTo("return-poll");
  }
}
